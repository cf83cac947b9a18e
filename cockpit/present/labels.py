"""The one set of Danish labels for the codes in the data (owner types, decision kinds, themes,
...) and for the tables of the data contract; pure."""

from __future__ import annotations

import math

import pandas as pd

from cockpit.present.fmt import DASH

UNKNOWN = "Ukendt"
NO_GRANT = "Uden bevilling"
NO_OFFER = "Intet eller ukendt tilbud"

OWNER_LABELS = {
    "own": "Eget tilbud",
    "other_municipality": "Anden kommunes tilbud",
    "region": "Regionalt tilbud",
    "private": "Privat tilbud",
}
KIND_LABELS = {
    "new": "Ny ansøgning",
    "change": "Ændring",
    "revisitation": "Revisitation",
    "end": "Ophør",
}
OUTCOME_LABELS = {
    "granted": "Bevilget",
    "rejected": "Afslag",
    "changed": "Ændret",
    "ended": "Ophørt",
}
DECIDED_BY_LABELS = {
    "committee": "Visitationsudvalg",
    "leader": "Leder",
    "caseworker": "Sagsbehandler",
}
THEME_LABELS = {
    "praktiske_opgaver": "Praktiske opgaver",
    "egenomsorg": "Egenomsorg",
    "mobilitet": "Mobilitet",
    "kommunikation": "Kommunikation",
    "samfundsliv": "Samfundsliv",
    "relationer": "Relationer",
    "mentale_funktioner": "Mentale funktioner",
    "sundhed": "Sundhed",
}
GOAL_TYPE_LABELS = {"develop": "Udvikle", "maintain": "Fastholde", "limit_loss": "Begrænse tab"}
TARGET_GROUP_LABELS = {
    "handicap": "Funktionsnedsættelse",
    "psykiatri": "Psykiatri",
    "udsat": "Socialt udsat",
    "misbrug": "Misbrug",
}
TEMPLATE_LABELS = {"kl_standard": "KL's standardkontrakt", "other": "Anden skabelon"}
LEVEL_LABELS = {0: "Ingen", 1: "Let", 2: "Moderat", 3: "Svær", 4: "Fuldstændig"}
DIMENSION_LABELS = {
    "kind": "Art",
    "outcome": "Udfald",
    "offer_type": "Indsatstype",
    "decided_by": "Truffet af",
    "theme": "Tema",
    "offer": "Tilbud",
    "owner_type": "Ejerform",
}
STATUS_TEXT = {"green": "Nået", "yellow": "Tæt på", "red": "Ikke nået", None: "Ingen data"}
TABLE_LABELS = {
    "municipality": "Kommuner",
    "population": "Befolkning",
    "offer_type": "Indsatstyper",
    "offer": "Tilbud",
    "citizen": "Borgere",
    "decision": "Afgørelser",
    "grant": "Bevillinger",
    "contract": "Kontrakter",
    "expense": "Udgifter",
    "budget": "Budget",
    "goal": "Mål",
    "assessment": "Vurderinger",
    "followup": "Opfølgninger",
    "strategy_target": "Politiske mål",
}


def is_missing(v: object) -> bool:
    """None, NaN, NA or NaT: a value the database did not have."""
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def label(mapping: dict, code: object) -> str:
    """The Danish label of a code; unknown codes are shown as they are, missing as 'Ukendt'."""
    if is_missing(code) or code == "":
        return UNKNOWN
    return mapping.get(code, str(code).replace("_", " ").capitalize())


def theme_label(theme: object) -> str:
    return label(THEME_LABELS, theme)


def level_label(level: object) -> str:
    """3 → '3 Svær'."""
    if is_missing(level):
        return DASH
    return f"{int(level)} {LEVEL_LABELS.get(int(level), '')}".strip()


def themes_text(themes: object) -> str:
    """'egenomsorg, mobilitet' → 'Egenomsorg, Mobilitet'."""
    if is_missing(themes):
        return DASH
    return ", ".join(theme_label(t.strip()) for t in str(themes).split(","))
