"""Progression: the three progression breakdowns side by side, and the adjustment signals with what
is in play (pages/progression.py, pages/tilbud.py)."""

from __future__ import annotations

import pandas as pd

from cockpit.present import fmt
from cockpit.present.labels import DIMENSION_LABELS, NO_GRANT, is_missing, theme_label, themes_text
from cockpit.views.columns import Column, Spec, dates, ident, plain, text
from cockpit.views.common import Metric, metric, share


def progression_table(
    progression: pd.DataFrame,
    attainment: pd.DataFrame,
    horizon: pd.DataFrame,
    dimension: str,
) -> pd.DataFrame:
    """One dimension (theme, offer_type or offer) of the three progression breakdowns side by side:
    progression and decline (over citizen-theme pairs), goals achieved, grants with a time-bound
    goal. A group missing from one breakdown shows '–' there."""
    keys: dict[str, str] = {}
    frames = {}
    for name, df in (("p", progression), ("a", attainment), ("h", horizon)):
        rows = df[df["dimension"] == dimension]
        frames[name] = {
            str(k): r for k, r in zip(rows["group_key"], rows.itertuples(), strict=True)
        }
        for k, n in zip(rows["group_key"], rows["group_name"], strict=True):
            keys.setdefault(str(k), n)

    def group_name(key: str, name: object) -> str:
        if dimension == "theme":
            return theme_label(key)
        if key == "":
            return NO_GRANT
        return str(name) if not is_missing(name) else key

    out = []
    for key, name in keys.items():
        p, a, h = frames["p"].get(key), frames["a"].get(key), frames["h"].get(key)
        out.append(
            {
                "key": key,
                DIMENSION_LABELS[dimension]: group_name(key, name),
                "Vurderede temaer": int(p.pairs) if p else 0,
                "Fremgang": share(p.improved, p.pairs) if p else None,
                "Tilbagegang": share(p.declined, p.pairs) if p else None,
                "Mål med frist": int(a.goals) if a else 0,
                "Mål nået": share(a.achieved, a.goals) if a else None,
                "Aktive bevillinger": int(h.grants) if h else 0,
                "Med tidsfastsatte mål": share(h.with_horizon, h.grants) if h else None,
                "Borgere": max(
                    int(p.citizens) if p else 0,
                    int(a.citizens) if a else 0,
                    int(h.citizens) if h else 0,
                ),
            }
        )
    frame = pd.DataFrame(out)
    if frame.empty:
        return frame
    return frame.sort_values(
        [DIMENSION_LABELS[dimension]], key=lambda s: s.str.lower()
    ).reset_index(drop=True)


GRANT_COLUMNS = ("Aktive bevillinger", "Med tidsfastsatte mål")


def progression_display(table: pd.DataFrame, with_grants: bool = True) -> pd.DataFrame:
    """progression_table with Danish-formatted counts and percentages (the key column dropped;
    without the grant columns for themes, which grants do not have)."""
    if table.empty:
        return table
    out = table.drop(columns=["key"]).copy()
    for col in ("Fremgang", "Tilbagegang", "Mål nået", "Med tidsfastsatte mål"):
        out[col] = [fmt.percent(v) for v in out[col]]
    for col in ("Vurderede temaer", "Mål med frist", "Aktive bevillinger", "Borgere"):
        out[col] = [fmt.number(v) for v in out[col]]
    return out if with_grants else out.drop(columns=list(GRANT_COLUMNS))


def group_progression(table: pd.DataFrame, key: str) -> pd.DataFrame:
    """One group's row of progression_table (e.g. one offer), formatted, without its name column;
    empty when the group has no assessments, goals or active grants."""
    if table.empty:
        return table
    row = table[table["key"] == str(key)]
    return progression_display(row).drop(columns=[table.columns[1]])


def next_step_text(row: pd.Series, name=str) -> str:
    """'Midlertidigt botilbud · typisk 64.612 kr./md.' or '–' for grants not on (or at the foot of)
    the indsatstrappe; `name` renders the offer type's name (fmt.plain inside markdown)."""
    if is_missing(row.get("next_offer_type_name")):
        return fmt.DASH
    price = row.get("next_median_monthly_price")
    typical = "ingen aktive bevillinger" if is_missing(price) else f"typisk {fmt.money(price)}/md."
    return f"{name(row['next_offer_type_name'])} · {typical}"


def signal_differences(df: pd.DataFrame) -> list[float | None]:
    """Per row: the grant's monthly price minus the typical price one step down (None when there
    is none)."""
    diff = df["monthly_price"].astype(float) - df["next_median_monthly_price"].astype(float)
    return [None if pd.isna(d) else float(d) for d in diff]


def signal_summary(df: pd.DataFrame) -> dict:
    """What is in play: number of grants and citizens, their monthly price in total, and the sum
    of the differences to the typical price one step down (where there is one)."""
    known = [d for d in signal_differences(df) if d is not None]
    return {
        "grants": len(df),
        "citizens": int(df["citizen_id"].nunique()) if len(df) else 0,
        "monthly_price": float(df["monthly_price"].sum()) if len(df) else 0.0,
        "with_next_step": len(known),
        "difference": float(sum(known)) if known else None,
    }


# Column widths (pixels) that keep the price columns of the signal list in view.
SIGNAL_WIDTHS = {
    "Borger": 110,
    "Indsats": 190,
    "Månedspris": 100,
    "Mål nået den": 95,
    "Næste trin ned": 190,
    "Typisk månedspris der": 125,
    "Forskel pr. måned": 110,
}


# list_adjustment_signals: who, the help and its price, when the goal was met, and the next step
# down the indsatstrappe with its typical price (what is in play) first; the offer and the themes
# last.
SIGNAL_LIST = Spec(
    "Tilpasningssignaler",
    (
        Column("Borger", ident("citizen_id")),
        Column("Bevilling", ident("grant_id"), on_screen=False),
        Column("Indsats", text("offer_type_name")),
        Column("Månedspris", plain("monthly_price"), "kr."),
        Column("Mål nået den", dates("achieved_on"), "date"),
        Column("Næste trin ned", text("next_offer_type_name")),
        Column("Typisk månedspris der", plain("next_median_monthly_price"), "kr."),
        Column("Forskel pr. måned", signal_differences, "kr."),
        Column("Tilbud", text("offer_name")),
        Column("Tema", lambda df: [themes_text(v) for v in df["themes"]]),
    ),
)


def signal_metrics(summary: dict) -> list[Metric]:
    """signal_summary as metrics: grants with a signal (the KPI), citizens, their monthly price
    and the indicative difference to one step down."""
    return [
        metric("adjustment_signals", fmt.number(summary["grants"])),
        metric("signal_citizens", fmt.number(summary["citizens"])),
        metric("signal_monthly_price", fmt.money(summary["monthly_price"])),
        metric(
            "signal_difference",
            fmt.money(summary["difference"]),
            with_next_step=fmt.number(summary["with_next_step"]),
            grants=fmt.number(summary["grants"]),
        ),
    ]


SIGNALS_NOTE = (
    " Næste trin ned er indsatstypen ét trin lavere på indsatstrappen; den typiske månedspris "
    "der er medianen for kommunens aktive bevillinger på det trin. Bevillinger uden for trappen "
    "har intet trin ned (–)."
)
BREAKDOWN_NOTE = (
    "Fremgang og tilbagegang: borger-temaer vurderet mindst to gange det seneste år. Mål nået: "
    "mål med frist i år til dato. Tidsfastsatte mål: aktive bevillinger med mindst ét mål med "
    "frist. En borger med indsatser på flere tilbud tæller med under hvert af dem; temaer "
    "gælder hele borgeren."
)
