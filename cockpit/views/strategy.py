"""Strategi: political targets with status and trend, KPIs year by year and the indsatstrappe
(pages/strategi.py); pure: the registry values and frames per year come from the caller
(cockpit/ui/strategy.py)."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from cockpit.downloads import Table
from cockpit.metrics import REGISTRY
from cockpit.periods import Scope, when
from cockpit.present import fmt
from cockpit.present.labels import STATUS_TEXT
from cockpit.views.common import hidden_total, num, sentence

STATUS_ORDER = {"red": 0, "yellow": 1, "green": 2, None: 3}
COMPARATOR = {"up": "mindst", "down": "højst", None: "omkring"}


def target_overview(status: dict | None, notes: pd.DataFrame) -> pd.DataFrame:
    """One row per political target of the year from the registry's target_status and the
    targets' rows (kpi_strategy_targets, the council's words): KPI, actual, target, status and
    note, the missed targets first."""
    notes = notes.set_index("kpi_key")
    rows = []
    for key, s in (status or {}).items():
        kpi = REGISTRY[key]
        note = notes["note"].get(key) if "note" in notes else None
        rows.append(
            {
                "key": key,
                "label": kpi.label,
                "unit": kpi.unit,
                "better": kpi.better,
                "actual": s["actual"],
                "target": s["target"],
                "status": s["status"],
                "note": None if note is None or pd.isna(note) else str(note),
            }
        )
    df = pd.DataFrame(
        rows, columns=["key", "label", "unit", "better", "actual", "target", "status", "note"]
    )
    order = df["status"].map(lambda s: STATUS_ORDER.get(s, 3))
    df = df.assign(_order=order).sort_values(["_order", "label"]).drop(columns="_order")
    return df.astype(object).where(df.notna(), None)  # None, not NaN, for what is missing


def target_summary(overview: pd.DataFrame) -> str:
    """'2 af 6 mål er nået, 1 er tæt på, og 3 er ikke nået.'"""
    if overview.empty:
        return "Der er ikke vedtaget politiske mål for året."
    n = len(overview)
    counts = overview["status"].value_counts(dropna=False)
    parts = [f"{counts.get('green', 0)} af {n} mål er nået"]
    if counts.get("yellow", 0):
        parts.append(f"{counts['yellow']} er tæt på")
    if counts.get("red", 0):
        parts.append(f"{counts['red']} er ikke nået")
    missing = int(overview["status"].isna().sum())
    if missing:
        parts.append(f"{missing} mangler data")
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]
    return text + "."


def _distance(unit: str, diff: float) -> str:
    if unit == "share":
        return f"{fmt.number(abs(diff) * 100, 1)} procentpoint"
    return fmt.value(unit, abs(diff))


def target_text(row: dict) -> str:
    """'20,9 % mod et mål på højst 20,0 % – 0,9 procentpoint for højt.'"""
    unit, actual, target = row["unit"], num(row["actual"]), row["target"]
    goal = f"{COMPARATOR[row['better']]} {fmt.value(unit, target)}"
    if actual is None:
        return sentence(f"Ingen opgørelse endnu; målet er {goal}")
    text = f"{fmt.value(unit, actual)} mod et mål på {goal}"
    if row["status"] in ("yellow", "red") and actual != target:
        text += f" – {_distance(unit, actual - target)} for {'højt' if actual > target else 'lavt'}"
    return sentence(text)


def trend_text(key: str, history: pd.DataFrame) -> str:
    """How the KPI moved since the previous year in the history, in plain Danish."""
    h = history[history["key"] == key].dropna(subset=["value"]).sort_values("year")
    if len(h) < 2:
        return "Ingen tal fra tidligere år at sammenligne med."
    prev, last = h.iloc[-2], h.iloc[-1]
    kpi = REGISTRY[key]
    before = f"{fmt.value(kpi.unit, prev['value'])} i {prev['year']}"
    if math.isclose(last["value"], prev["value"], rel_tol=1e-9, abs_tol=1e-12):
        return f"Uændret i forhold til {before}."
    up = last["value"] > prev["value"]
    if kpi.better is None:
        return f"{'Højere' if up else 'Lavere'} end {before}."
    better = up == (kpi.better == "up")
    return f"{'Bedre' if better else 'Dårligere'} end {before}."


def kpi_history(values: Iterable[tuple[Scope, dict]], keys: list[str]) -> pd.DataFrame:
    """Long format from the registry's values per scope (keys and target_status): year, as_of,
    key, value, and the year's target and status when one is set."""
    keys = list(dict.fromkeys(keys))
    rows = []
    for s, v in values:
        status = v.get("target_status") or {}
        for key in keys:
            value = v.get(key)
            t = status.get(key) or {}
            rows.append(
                {
                    "year": s.year,
                    "as_of": s.as_of,
                    "key": key,
                    "value": num(value) if not isinstance(value, dict) else None,
                    "target": t.get("target"),
                    "status": t.get("status"),
                }
            )
    return pd.DataFrame(rows, columns=["year", "as_of", "key", "value", "target", "status"])


def target_chart_data(history: pd.DataFrame, key: str) -> pd.DataFrame:
    """Actual and target per year for one KPI, long format for a line chart."""
    h = history[history["key"] == key]
    rows = [(str(r.year), "Faktisk", r.value) for r in h.itertuples() if r.value is not None]
    rows += [(str(r.year), "Mål", r.target) for r in h.itertuples() if num(r.target) is not None]
    return pd.DataFrame(rows, columns=["year", "series", "value"])


def target_table(history: pd.DataFrame, key: str, scopes: list[Scope]) -> Table:
    kpi = REGISTRY[key]
    h = history[history["key"] == key]
    unit = {"kr.": "mio", "share": "share", "per 1.000": "decimal", "dage": "decimal"}.get(
        kpi.unit, "count"
    )
    frame = pd.DataFrame(
        {
            "År": [when(s) for s in scopes],
            "Faktisk": h["value"].to_numpy(),
            "Mål": h["target"].to_numpy(),
            "Status": [STATUS_TEXT.get(s if isinstance(s, str) else None) for s in h["status"]],
        }
    )
    frame.loc[frame["Mål"].isna(), "Status"] = "Intet mål"
    return Table(kpi.label, frame, {"Faktisk": unit, "Mål": unit})


def step_labels(offer_types: pd.DataFrame) -> dict[int, str]:
    """'Trin 1: Forebyggende og tidsbegrænset støtte' per staircase step."""
    on = offer_types.dropna(subset=["staircase_step"])
    out = {}
    for step, group in on.groupby("staircase_step"):
        out[int(step)] = f"Trin {int(step)}: " + " / ".join(group.sort_values("name")["name"])
    return out


def staircase_history(
    years: Iterable[tuple[Scope, dict | None, pd.DataFrame]], labels: dict[int, str]
) -> pd.DataFrame:
    """Citizens on the indsatstrappe by highest active step, per year: the registry's
    staircase_distribution (shares) with the counts of its query kpi_staircase. Columns year,
    when, step, step_label, citizens, share, text (the share as a label for large segments)."""
    rows = []
    for s, shares, staircase in years:
        counts = staircase.set_index("step")["citizens"]
        for key, part in (shares or {}).items():
            step = int(key)
            rows.append(
                {
                    "year": s.year,
                    "when": when(s),
                    "step": step,
                    "step_label": labels.get(step, f"Trin {step}"),
                    "citizens": num(counts.get(step)),
                    "share": num(part),
                }
            )
    df = pd.DataFrame(rows, columns=["year", "when", "step", "step_label", "citizens", "share"])
    df = df.astype({"citizens": "float64", "share": "float64"}).sort_values(["year", "step"])
    df["text"] = [fmt.percent(v, 0) if v >= 0.04 else "" for v in df["share"].fillna(0)]
    return df.reset_index(drop=True)


def staircase_table(history: pd.DataFrame) -> Table:
    wide = history.pivot(index=["year", "when"], columns="step", values="share")
    counts = history.groupby(["year", "when"])["citizens"].agg(hidden_total)
    frame = pd.DataFrame({"År": [w for _, w in wide.index]})
    for step in wide.columns:
        frame[f"Trin {step}"] = wide[step].to_numpy()
    frame["Borgere på trappen"] = counts.reindex(wide.index).to_numpy()
    units = {f"Trin {s}": "share" for s in wide.columns} | {"Borgere på trappen": "count"}
    return Table(REGISTRY["staircase_distribution"].label, frame, units)


def history_lines(history: pd.DataFrame, key: str) -> pd.DataFrame:
    """One KPI's values per year (with its target where one is set), for a line chart."""
    return target_chart_data(history, key).replace({"Faktisk": REGISTRY[key].label})


def history_table(history: pd.DataFrame, keys: list[str], scopes: list[Scope]) -> Table:
    frame = pd.DataFrame({"År": [when(s) for s in scopes]})
    units = {}
    for key in keys:
        kpi = REGISTRY[key]
        frame[kpi.label] = history[history["key"] == key]["value"].to_numpy()
        units[kpi.label] = {"share": "share", "per 1.000": "decimal"}.get(kpi.unit, "count")
    return Table("Udvikling", frame, units)


def staircase_sentence(history: pd.DataFrame, scopes: list[Scope]) -> str:
    """Are citizens moving to less intrusive help? The botilbud share, first year against now."""
    h = history[history["key"] == "botilbud_share"].dropna(subset=["value"])
    if len(h) < 2:
        return ""
    first, last = h.iloc[0], h.iloc[-1]
    a, b = fmt.percent(first["value"]), fmt.percent(last["value"])
    now = fmt.long_date(scopes[-1].as_of)
    if math.isclose(first["value"], last["value"], abs_tol=0.0005):
        return f"Andelen i botilbud er uændret {b} fra {first['year']} til {now}."
    if last["value"] < first["value"]:
        return (
            f"Andelen i botilbud er faldet fra {a} i {first['year']} til {b} pr. {now}: "
            "en mindre del af borgerne på trappen bor i botilbud."
        )
    return (
        f"Andelen i botilbud er steget fra {a} i {first['year']} til {b} pr. {now}: "
        "en større del af borgerne på trappen bor i botilbud."
    )
