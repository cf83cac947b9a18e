"""Borger: the citizen picker and one citizen's grants, decisions, contracts, goals, assessments
and signals (pages/borger.py)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from cockpit.present import fmt
from cockpit.present.labels import (
    DECIDED_BY_LABELS,
    GOAL_TYPE_LABELS,
    KIND_LABELS,
    OUTCOME_LABELS,
    OWNER_LABELS,
    TARGET_GROUP_LABELS,
    TEMPLATE_LABELS,
    is_missing,
    label,
    level_label,
    theme_label,
    themes_text,
)
from cockpit.views.common import Metric, as_date, metric, short_date, short_dates
from cockpit.views.contracts import missing_contract_reason
from cockpit.views.progression import next_step_text


def citizens_table(df: pd.DataFrame) -> pd.DataFrame:
    """list_citizens as the citizen picker."""
    return pd.DataFrame(
        {
            "Borger": df["citizen_id"].astype(str),
            "Målgruppe": [label(TARGET_GROUP_LABELS, v) for v in df["target_group"]],
            "Aktive bevillinger": [fmt.number(v) for v in df["active_grants"]],
            "Månedspris i alt": [fmt.money(v) for v in df["active_monthly_price"]],
            "Årlig udgift": [fmt.money(v * 12) for v in df["active_monthly_price"]],
            "Seneste ophør": short_dates(df["last_ended"]),
        }
    )


EXPENSIVE_DKK = 2_000_000  # a year, as in the KPI expensive_citizens


def active_citizens(df: pd.DataFrame, expensive_only: bool = False) -> pd.DataFrame:
    """The rows of list_citizens with at least one active grant, in the query's order; with
    expensive_only, those whose active grants cost over 2 mio. kr. a year (monthly price × 12), the
    citizens the KPI expensive_citizens counts."""
    keep = df["active_grants"] > 0
    if expensive_only:
        keep &= df["active_monthly_price"] * 12 > EXPENSIVE_DKK
    return df[keep].reset_index(drop=True)


def citizen_summary(grants: pd.DataFrame) -> dict:
    """Active grants, their monthly price and yearly cost (monthly price × 12, as in
    expensive_citizens), the highest active staircase step, and spend to date."""
    active = grants[grants["active"] == 1]
    steps = active["staircase_step"].dropna()
    monthly = float(active["monthly_price"].sum()) if len(active) else 0.0
    return {
        "active_grants": len(active),
        "monthly_price": monthly,
        "yearly_price": monthly * 12,
        "highest_step": int(steps.max()) if len(steps) else None,
        "spend_ytd": float(grants["spend_ytd_dkk"].sum()) if len(grants) else 0.0,
    }


def timeline_frame(grants: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Grants as bars from start to end (open-ended and future ends drawn to the reference date)."""
    rows = []
    for _, g in grants.iterrows():
        start, end = as_date(g["start_date"]), as_date(g["end_date"])
        shown_end = as_of if end is None or end > as_of else end
        rows.append(
            {
                "Indsats": g["offer_type_name"],
                "Tilbud": fmt.DASH if is_missing(g["offer_name"]) else g["offer_name"],
                "Fra": pd.Timestamp(start),
                "Til": pd.Timestamp(shown_end),
                "Periode": f"{short_date(start)} – {short_date(end) if end else 'åben'}",
                "Månedspris": fmt.money(g["monthly_price"]),
            }
        )
    return pd.DataFrame(rows)


def timeline_height(grants: pd.DataFrame) -> int:
    """Pixels for the grant timeline: one row per offer type plus room for axis and legend."""
    return 60 + 36 * int(grants["offer_type_name"].nunique())


def grants_table(grants: pd.DataFrame) -> pd.DataFrame:
    """detail_citizen_grants for display, newest first is left to the caller's order."""
    return pd.DataFrame(
        {
            "Indsats": grants["offer_type_name"],
            "Trin": [fmt.DASH if is_missing(v) else str(int(v)) for v in grants["staircase_step"]],
            "Tilbud": grants["offer_name"].map(lambda v: fmt.DASH if is_missing(v) else v),
            "Ejerform": [
                label(OWNER_LABELS, v) if not is_missing(v) else fmt.DASH
                for v in grants["owner_type"]
            ],
            "Fra": grants["start_date"].map(short_date),
            "Til": grants["end_date"].map(lambda v: "åben" if is_missing(v) else short_date(v)),
            "Månedspris": [fmt.money(v) for v in grants["monthly_price"]],
            "Forbrug år til dato": [fmt.money(v) for v in grants["spend_ytd_dkk"]],
            "Aktiv": ["Ja" if v else "Nej" for v in grants["active"]],
            "Næste opfølgning": grants["next_followup_date"].map(short_date),
        }
    )


def decisions_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Afgjort": df["decision_date"].map(short_date),
            "Art": [label(KIND_LABELS, v) for v in df["kind"]],
            "Udfald": [label(OUTCOME_LABELS, v) for v in df["outcome"]],
            "Indsats": df["offer_type_name"],
            "Truffet af": [label(DECIDED_BY_LABELS, v) for v in df["decided_by"]],
            "Sagsbehandlingstid": [fmt.days(v) for v in df["processing_days"]],
        }
    )


def contracts_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Tilbud": df["offer_name"].map(lambda v: fmt.DASH if is_missing(v) else v),
            "Gyldig fra": df["valid_from"].map(short_date),
            "Gyldig til": df["valid_to"].map(
                lambda v: "indtil videre" if is_missing(v) else short_date(v)
            ),
            "Gyldig nu": ["Ja" if v else "Nej" for v in df["valid_on_as_of"]],
            "Kontraktpris pr. måned": [fmt.money(v) for v in df["monthly_price"]],
            "Mål i kontrakten": ["Ja" if bool(v) else "Nej" for v in df["has_goals_annex"]],
            "Genforhandles senest": df["renegotiate_by"].map(short_date),
            "Skabelon": [label(TEMPLATE_LABELS, v) for v in df["template"]],
        }
    )


def goals_table(df: pd.DataFrame) -> pd.DataFrame:
    def status(row: pd.Series) -> str:
        if is_missing(row["latest_level"]):
            return "Ingen vurdering"
        return "Nået" if row["met"] else "Ikke nået"

    return pd.DataFrame(
        {
            "Tema": [theme_label(v) for v in df["theme"]],
            "Mål": [label(GOAL_TYPE_LABELS, v) for v in df["goal_type"]],
            "Udgangspunkt": [level_label(v) for v in df["baseline_level"]],
            "Målniveau": [level_label(v) for v in df["target_level"]],
            "Sat": df["set_on"].map(short_date),
            "Frist": df["target_date"].map(
                lambda v: "ingen frist" if is_missing(v) else short_date(v)
            ),
            "Seneste vurdering": [
                fmt.DASH if is_missing(lv) else f"{level_label(lv)} ({short_date(on)})"
                for lv, on in zip(df["latest_level"], df["latest_assessed_on"], strict=True)
            ],
            "Status": [status(r) for _, r in df.iterrows()],
        }
    )


def assessments_frame(df: pd.DataFrame) -> pd.DataFrame:
    """detail_citizen_assessments for the level chart: Danish theme, date, level."""
    return pd.DataFrame(
        {
            "Tema": [theme_label(v) for v in df["theme"]],
            "Dato": pd.to_datetime(df["assessed_on"]),
            "Funktionsniveau": df["level"].astype(int),
        }
    )


def citizen_signals(
    citizen_id: str,
    adjustment: pd.DataFrame,
    overdue: pd.DataFrame,
    without_contract: pd.DataFrame,
) -> list[str]:
    """The signals that concern one citizen, in Danish, taken from the same lists the Progression,
    Visitation and Kontrakter pages show (so the numbers agree by construction)."""
    out = []
    for _, r in adjustment[adjustment["citizen_id"] == citizen_id].iterrows():
        nxt = next_step_text(r, fmt.plain)
        out.append(
            f"**Tilpasningssignal:** udviklingsmål nået {short_date(r['achieved_on'])} "
            f"({themes_text(r['themes'])}), men {fmt.plain(r['offer_type_name'])} til "
            f"{fmt.money(r['monthly_price'])}/md. er ikke tilpasset siden."
            + (f" Næste trin ned: {nxt}" if nxt != fmt.DASH else "")
        )
    for _, r in overdue[overdue["citizen_id"] == citizen_id].iterrows():
        out.append(
            f"**Opfølgning over tid:** {fmt.plain(r['offer_type_name'])} skulle være fulgt op "
            f"{short_date(r['next_followup_date'])} ({fmt.number(r['days_overdue'])} dage siden)."
        )
    for _, r in without_contract[without_contract["citizen_id"] == citizen_id].iterrows():
        out.append(
            f"**Ingen gyldig kontrakt:** {fmt.plain(r['offer_type_name'])} på "
            f"{fmt.plain(r['offer_name'])} "
            f"({missing_contract_reason(r).lower()})."
        )
    return out


def citizen_metrics(summary: dict) -> list[Metric]:
    """citizen_summary as metrics: active grants, monthly price, yearly cost, spend to date."""
    return [
        metric("citizen_active_grants", fmt.number(summary["active_grants"])),
        metric("citizen_monthly_price", fmt.money(summary["monthly_price"])),
        metric("citizen_yearly_price", fmt.money(summary["yearly_price"])),
        metric("citizen_spend_ytd", fmt.money(summary["spend_ytd"])),
    ]


def citizen_caption(person: pd.Series, as_of: date) -> str:
    """'Pseudonym · født 1980 · målgruppe: psykiatri · opgjort pr. 31. marts 2024'."""
    facts = ["Pseudonym"]
    if not is_missing(person["birth_year"]):
        facts.append(f"født {int(person['birth_year'])}")
    if not is_missing(person["target_group"]):
        facts.append(f"målgruppe: {label(TARGET_GROUP_LABELS, person['target_group']).lower()}")
    return " · ".join(facts) + f" · opgjort pr. {fmt.long_date(as_of)}"
