"""Visitation og opfølgning: decisions by month and group, processing time, and the list of
follow-ups overdue (pages/visitation.py)."""

from __future__ import annotations

import pandas as pd

from cockpit.present import fmt
from cockpit.present.labels import (
    DECIDED_BY_LABELS,
    DIMENSION_LABELS,
    KIND_LABELS,
    OUTCOME_LABELS,
    UNKNOWN,
    is_missing,
    label,
)
from cockpit.views.columns import Column, Spec, dates, ident, plain, text
from cockpit.views.common import month_start, share

# Processing-time buckets (days from application to decision), upper bounds included.
# Processing-time buckets (days from application to decision), upper bounds included.
PROCESSING_BUCKETS = ((14, "0-14 dage"), (30, "15-30 dage"), (60, "31-60 dage"), (90, "61-90 dage"))


PROCESSING_TAIL = "Over 90 dage"


def decisions_by_month(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows of social_decisions_by_month with a month date and the Danish kind, for a stacked chart."""
    out = df.copy()
    out["Måned"] = [month_start(year, m) for m in out["month"]]
    out["Art"] = [label(KIND_LABELS, k) for k in out["kind"]]
    out["Afgørelser"] = out["decisions"].astype(int)
    return out[["Måned", "Art", "Afgørelser"]]


def months_table(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """The stacked monthly chart as a table (its alternative for screen readers and for telling the
    series apart without colour): one row per month, one column per kind, and a total."""
    rows = decisions_by_month(df, year)
    wide = rows.pivot_table(
        index="Måned", columns="Art", values="Afgørelser", aggfunc="sum", fill_value=0
    )
    wide["I alt"] = wide.sum(axis=1)
    wide.index = [f"{fmt.month_name(d.month).capitalize()} {d.year}" for d in wide.index]
    out = wide.astype(int).reset_index(names="Måned")
    out.columns.name = None
    return out


def decision_table(df: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """One dimension of social_decisions_by_group as a Danish table: decisions, citizens, approval
    rate of new applications, committee share of housing decisions, median processing time."""
    rows = df[df["dimension"] == dimension]
    labels = {
        "kind": KIND_LABELS,
        "outcome": OUTCOME_LABELS,
        "decided_by": DECIDED_BY_LABELS,
    }.get(dimension)
    names = [
        label(labels, k) if labels else (n if not is_missing(n) else UNKNOWN)
        for k, n in zip(rows["group_key"], rows["group_name"], strict=True)
    ]
    out = pd.DataFrame(
        {
            DIMENSION_LABELS[dimension]: names,
            "Afgørelser": [fmt.number(v) for v in rows["decisions"]],
            "Borgere": [fmt.number(v) for v in rows["citizens"]],
            "Bevillingsprocent, nye": [
                fmt.percent(share(a, b))
                for a, b in zip(rows["new_granted"], rows["new_decided"], strict=True)
            ],
            "Boligafgørelser i udvalg": [
                fmt.percent(share(a, b))
                for a, b in zip(rows["housing_committee"], rows["housing"], strict=True)
            ],
            "Sagsbehandlingstid, median": [fmt.days(v) for v in rows["processing_days_median"]],
        }
    )
    order = rows["decisions"].astype(int).to_numpy().argsort(kind="stable")[::-1]
    return out.iloc[order].reset_index(drop=True)


def weighted_median(values: pd.Series, counts: pd.Series) -> float | None:
    """The median of values repeated counts times, interpolated like percentile_cont(0.5)."""
    pairs = sorted(
        (float(v), int(c)) for v, c in zip(values, counts, strict=True) if not is_missing(v) and c
    )
    n = sum(c for _, c in pairs)
    if n == 0:
        return None

    def nth(k: int) -> float:  # the k-th smallest value, 0-based
        seen = 0
        for v, c in pairs:
            seen += c
            if k < seen:
                return v
        raise IndexError(k)

    lower, upper = nth((n - 1) // 2), nth(n // 2)
    return (lower + upper) / 2


def processing_distribution(df: pd.DataFrame) -> pd.DataFrame:
    """social_processing_days in fixed buckets (0-14, 15-30, 31-60, 61-90, over 90 days), every
    bucket present, in order."""
    buckets = [name for _, name in PROCESSING_BUCKETS] + [PROCESSING_TAIL]
    counts = dict.fromkeys(buckets, 0)
    for days, n in zip(df["processing_days"], df["decisions"], strict=True):
        name = next((b for limit, b in PROCESSING_BUCKETS if days <= limit), PROCESSING_TAIL)
        counts[name] += int(n)
    return pd.DataFrame({"Sagsbehandlingstid": buckets, "Afgørelser": list(counts.values())})


# list_followups_overdue.
OVERDUE_LIST = Spec(
    "Opfølgninger over tid",
    (
        Column("Borger", ident("citizen_id")),
        Column("Bevilling", ident("grant_id"), on_screen=False),
        Column("Indsats", text("offer_type_name")),
        Column("Tilbud", text("offer_name")),
        Column("Planlagt opfølgning", dates("next_followup_date"), "date"),
        Column("Dage over tid", plain("days_overdue", int), "count"),
        Column("Seneste opfølgning", dates("last_performed"), "date"),
        Column("Månedspris", plain("monthly_price"), "kr."),
    ),
)

DECISIONS_NOTE = (
    "Bevillingsprocent: nye ansøgninger bevilget / bevilget eller afslået. Boligafgørelser i "
    "udvalg: andelen af afgørelser om boligindsatser truffet i visitationsudvalget. "
    "Sagsbehandlingstid: median for nye ansøgninger."
)
