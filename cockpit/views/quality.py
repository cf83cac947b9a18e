"""Datagrundlag: how far to trust the numbers. Turns the quality_* queries into named checks, each
with what to fix at the source; pure (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cockpit.present import fmt
from cockpit.present.labels import TABLE_LABELS

LINK_TARGET = (
    0.9  # share of spend that should carry grant and citizen (KL: link activity and economy)
)
ASSESSED_TARGET = 0.8  # share of active citizens assessed within the last year


@dataclass(frozen=True)
class Check:
    label: str
    shown: str
    ok: bool | None  # None: nothing to judge (no data)
    advice: str


def _share(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole or pd.isna(whole):
        return None
    return float(part) / float(whole)


def _count(n: float | None, suppress: bool) -> str:
    if n is None or pd.isna(n):
        return fmt.DASH
    if suppress and 0 < n < 5:
        return "<5"
    return fmt.number(n)


def checks(
    links: pd.DataFrame, grants: pd.DataFrame, assessments: pd.DataFrame, suppress: bool
) -> list[Check]:
    """The data-quality checks for one scope. `suppress` hides counts of 1-4 (roles without
    citizen access)."""
    lk, gr, asm = links.iloc[0], grants.iloc[0], assessments.iloc[0]
    linked = _share(lk["with_grant_and_citizen_dkk"], lk["amount_dkk"])
    with_offer = _share(lk["with_offer_dkk"], lk["amount_dkk"])
    assessed = _share(asm["citizens_assessed"], asm["citizens_active"])
    active = gr["grants_active"]

    def at_least(share: float | None, target: float) -> bool | None:
        return None if share is None else share >= target

    def none_of(n: float | None) -> bool | None:
        return None if not active else int(n or 0) == 0

    return [
        Check(
            "Udgifter knyttet til både bevilling og borger",
            fmt.percent(linked),
            at_least(linked, LINK_TARGET),
            "Registrér bevillingens id og borgerens pseudonym på hver udgiftspost i "
            "økonomisystemet (fx som reference på fakturaen), så udgiften kan følges til den "
            "enkelte indsats. Uden koblingen kan prognosen ikke bygge på borgernes bevillinger.",
        ),
        Check(
            "Udgifter knyttet til et tilbud",
            fmt.percent(with_offer),
            at_least(with_offer, LINK_TARGET),
            "Angiv leverandørens tilbud på udgiftsposten, så udgiften kan deles på egne og "
            "eksterne tilbud.",
        ),
        Check(
            "Aktive bevillinger uden pris",
            _count(gr["without_price"], suppress),
            none_of(gr["without_price"]),
            "Angiv den aftalte takst pr. måned på bevillingen i fagsystemet; uden pris tæller "
            "bevillingen ikke med i prognosen.",
        ),
        Check(
            "Aktive bevillinger uden kendt tilbud",
            _count(gr["without_offer"], suppress),
            none_of(gr["without_offer"]),
            "Angiv tilbuddet (og indlæs det i tilbudstabellen) på bevillingen, så det kan ses, om "
            "købet er eksternt, og om der er kontrakt.",
        ),
        Check(
            "Aktive bevillinger uden planlagt opfølgning",
            _count(gr["without_followup_date"], suppress),
            none_of(gr["without_followup_date"]),
            "Sæt en opfølgningsdato på alle aktive bevillinger i fagsystemet.",
        ),
        Check(
            "Borgere med aktiv indsats vurderet det seneste år",
            fmt.percent(assessed),
            at_least(assessed, ASSESSED_TARGET),
            "Vurder funktionsniveauet (VUM 2.0 / FFB) mindst én gang om året for hver borger med "
            "en aktiv indsats, så progression kan måles.",
        ),
        Check(
            "Vurderinger pr. borger med aktiv indsats, seneste år",
            fmt.number(asm["assessments_per_citizen"], 1),
            None,
            "Til orientering: antal vurderinger af funktionsniveau pr. borger og tema det seneste "
            "år.",
        ),
    ]


def table_overview(loads: pd.DataFrame) -> pd.DataFrame:
    """One display row per table: Danish name, data date, loaded at, source and row count."""
    rows = []
    for r in loads.itertuples():
        rows.append(
            {
                "Tabel": TABLE_LABELS.get(r.table_name, r.table_name),
                "Data til og med": fmt.long_date(pd.Timestamp(r.data_date).date())
                if pd.notna(r.data_date)
                else fmt.DASH,
                "Indlæst": pd.Timestamp(r.loaded_at).strftime("%d.%m.%Y %H:%M"),
                "Kilde": r.source,
                "Rækker": fmt.number(r.row_count),
            }
        )
    return pd.DataFrame(rows)


def gap_lines(gaps: pd.DataFrame, suppress: bool) -> list[tuple[str, str]]:
    """(source, sentence) per thing a source import could not link, e.g. "312 posteringer kunne
    ikke knyttes til en bevilling"; counts of 1-4 shown as "<5" for roles without citizen access."""
    return [
        (str(source), f"{_count(n, suppress)} {message}")
        for source, message, n in zip(gaps["source"], gaps["message"], gaps["count"], strict=True)
    ]
