"""The scenario as the page and the Excel file show it: Danish lever descriptions, the year table,
the chart's long frame and the lever effects; pure (no Streamlit)."""

from __future__ import annotations

import pandas as pd

from cockpit.downloads import Table
from cockpit.present import fmt
from cockpit.scenario.levers import Levers

BASELINE, SCENARIO, BUDGET = "Basis", "Scenarie", "Budget"


def _pct(value: float) -> str:
    return f"{'+' if value > 0 else ''}{fmt.number(value, 1)} %"


def _type(code: str, names: dict[str, str]) -> str:
    return f"{names[code]} ({code})" if code in names else code


def describe(levers: Levers, names: dict[str, str]) -> list[str]:
    """One Danish line per lever (empty list: the baseline alone)."""
    out = []
    for m in levers.moves:
        when = f" fra {fmt.long_date(m.start)}" if m.start else " fra næste måned"
        out.append(
            f"Flyt {fmt.number(m.citizens)} borgere fra {_type(m.source, names)} til "
            f"{_type(m.target, names)}{when}"
        )
    if levers.signals:
        out.append(f"Handl på de {fmt.number(levers.signals)} dyreste tilpasningssignaler")
    for code, p in sorted(levers.price_pct.items()):
        out.append(f"Pris på {_type(code, names)} {_pct(p)}")
    for code, q in sorted(levers.inflow_pct.items()):
        out.append(f"Tilgang til {_type(code, names)} {_pct(q)}")
    if levers.youth_per_year and levers.youth_type:
        out.append(
            f"{fmt.number(levers.youth_per_year)} 18-årige om året fra børneområdet på "
            f"{_type(levers.youth_type, names)}"
        )
    if levers.index_pct:
        out.append(f"Pris- og lønfremskrivning {_pct(levers.index_pct)} om året")
    return out


def budget_label(source: object, year: int, scope_year: int) -> str:
    """Where a year's budget comes from, in Danish."""
    if source == "budget":
        return "Korrigeret budget" if year == scope_year else "Overslagsår i budgettet"
    if source == "carried":
        return f"Videreført fra {scope_year}"
    return fmt.DASH


def years_table(years: pd.DataFrame, scope_year: int) -> Table:
    """Per year: Basis, Scenarie, Forskel, Budget, Scenarie minus budget and where the budget
    comes from (kroner, numbers as numbers)."""
    scenario = years["scenario_dkk"].astype(float)
    budget = years["budget_dkk"].astype(float)
    frame = pd.DataFrame(
        {
            "År": years["year"].astype(int).astype(str),
            BASELINE: years["baseline_dkk"].astype(float),
            SCENARIO: scenario,
            "Forskel": years["difference_dkk"].astype(float),
            BUDGET: budget,
            "Scenarie minus budget": scenario - budget,
            "Budgettet er": [
                budget_label(s, int(y), scope_year)
                for s, y in zip(years["budget_source"], years["year"], strict=True)
            ],
        }
    )
    units = dict.fromkeys([BASELINE, SCENARIO, "Forskel", BUDGET, "Scenarie minus budget"], "kr.")
    return Table("Hvad nu hvis", frame, units)


def chart_frame(years: pd.DataFrame) -> pd.DataFrame:
    """Long frame for charts.by_year: year, series (Basis / Scenarie / Budget), million kroner."""
    series = {BASELINE: "baseline_dkk", SCENARIO: "scenario_dkk", BUDGET: "budget_dkk"}
    parts = [
        pd.DataFrame(
            {
                "year": years["year"].astype(int).astype(str),
                "series": label,
                "amount_mio": years[column].astype(float) / 1e6,
            }
        )
        for label, column in series.items()
    ]
    return pd.concat(parts, ignore_index=True).dropna(subset=["amount_mio"])


def effects_table(effects: pd.DataFrame) -> Table:
    """The lever effects: one row per lever, one column per year (kroner)."""
    if effects.empty:
        return Table("Greb", pd.DataFrame({"Greb": []}), {})
    wide = effects.pivot_table(index="lever", columns="year", values="effect_dkk", sort=False)
    wide.columns = [str(c) for c in wide.columns]
    frame = wide.reset_index().rename(columns={"lever": "Greb"})
    return Table("Greb", frame, dict.fromkeys(wide.columns, "kr."))


def headline(years: pd.DataFrame) -> str | None:
    """'Scenariet ændrer udgiften i 2027 med -8,5 mio. kr.' for the first overslagsår."""
    if len(years) < 2 or pd.isna(years["difference_dkk"].iloc[1]):
        return None
    row = years.iloc[1]
    diff = float(row["difference_dkk"])
    if diff == 0:
        return None
    word = "sparer" if diff < 0 else "koster"
    return (
        f"Scenariet {word} {fmt.money_compact(abs(diff))} i {int(row['year'])} i forhold til "
        "basisfremskrivningen."
    )
