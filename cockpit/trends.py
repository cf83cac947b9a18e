"""Key figures over time and their breakdowns for the Strategi and Økonomi pages: political targets
and the indsatstrappe year by year, the forecast as of each month end, price and quantity, own and
external purchase. Pure: data come through the `fetch` / `values` functions the caller passes (the
ui passes its cached, access-checked `aggregate` and `kpi_values`, which hide small numbers for
roles without citizen access: hidden numbers arrive as NaN / None and stay hidden here, and totals
come from the registry rather than from adding up a breakdown with hidden rows)."""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Iterable
from datetime import date

import pandas as pd

from cockpit import fmt, kpis
from cockpit.downloads import Table
from cockpit.periods import Scope, month_ends

Fetch = Callable[..., pd.DataFrame]  # fetch(name, scope, **params): an aggregate query's rows
Values = Callable[[list[str], Scope], dict]  # registry KPI values for a scope

ECON = "kpi_economy_by_offer_type"
ECON_COLUMNS = ["spend_ytd_dkk", "budget_corrected_dkk", "forecast_dkk"]
TOTALS = ["spend_ytd", "budget_corrected", "forecast_year_end"]
HEADLINE = [
    "forecast_year_end",
    "budget_corrected",
    "forecast_deviation",
    "forecast_deviation_pct",
    "spend_ytd",
    "spend_per_inhabitant",
]

ACTUAL = "Faktisk forbrug"
PERIODISED = "Periodiseret budget"
FORECAST = "Forventet forbrug"
SINCE = "Merforbrug forventet siden"

OWNER_LABELS = {
    "own": "Eget tilbud",
    "other_municipality": "Anden kommunes tilbud",
    "region": "Regionalt tilbud",
    "private": "Privat tilbud",
}
NO_OFFER = "Intet eller ukendt tilbud"

STATUS_TEXT = {"green": "Nået", "yellow": "Tæt på", "red": "Ikke nået", None: "Ingen data"}
STATUS_ORDER = {"red": 0, "yellow": 1, "green": 2, None: 3}
COMPARATOR = {"up": "mindst", "down": "højst", None: "omkring"}


def _sentence(text: str) -> str:
    """End with exactly one full stop (amounts already end in 'kr.')."""
    return text if text.endswith(".") else text + "."


def label(key: str) -> str:
    return kpis.REGISTRY[key].label


def _num(v: object) -> float | None:
    """A number, or None for missing and hidden values (NaN, None, fmt.SUPPRESSED)."""
    if v is None or v is pd.NA or isinstance(v, fmt.Suppressed | str):
        return None
    v = float(v)
    return None if math.isnan(v) else v


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _sum(s: pd.Series) -> float | None:
    """Missing rows add nothing; None when there is nothing to add."""
    return _num(s.sum(min_count=1))


def _total(s: pd.Series) -> float | None:
    """A total that is hidden (None) as soon as one part of it is hidden (NaN)."""
    if s.empty:
        return None
    return None if s.isna().any() else float(s.sum())


def of_type(df: pd.DataFrame, offer_type: str | None) -> pd.DataFrame:
    """The rows of one offer type, or all rows (None)."""
    return df if offer_type is None else df[df["offer_type_code"] == offer_type]


# ---------------------------------------------------------------- scopes


def same_day(as_of: date, year: int) -> date:
    """The same calendar day in another year (29 February becomes 28 February)."""
    return date(year, as_of.month, min(as_of.day, calendar.monthrange(year, as_of.month)[1]))


def last_year_same_period(scope: Scope) -> Scope:
    """Last year from 1 January to the same calendar day: the like-for-like comparison."""
    return Scope(scope.municipality, scope.year - 1, same_day(scope.as_of, scope.year - 1))


def last_year_closed(scope: Scope) -> Scope:
    """Last year as a closed year (1 January – 31 December): last year's accounts."""
    return Scope(scope.municipality, scope.year - 1, date(scope.year - 1, 12, 31))


def year_scopes(scope: Scope, years: Iterable[int], count: int = 5) -> list[Scope]:
    """The scope and up to `count` − 1 earlier years with data, each earlier year at 31 December
    (its final figures), oldest first."""
    earlier = sorted({int(y) for y in years if int(y) < scope.year})
    earlier = earlier[-(count - 1) :] if count > 1 else []
    return [Scope(scope.municipality, y, date(y, 12, 31)) for y in earlier] + [scope]


def when(scope: Scope) -> str:
    """'2025' for a closed earlier year, '31. oktober 2026' otherwise."""
    if scope.as_of == scope.year_end:
        return str(scope.year)
    return fmt.long_date(scope.as_of)


# ---------------------------------------------------------------- economy: headline


def population(frame: pd.DataFrame) -> float | None:
    """18-64-year-olds, or all inhabitants when the age split is missing (as the registry does)."""
    if frame.empty:
        return None
    return _num(frame["persons_18_64"].iloc[0]) or _num(frame["persons_all"].iloc[0])


def economy_values(frame: pd.DataFrame, offer_type: str | None = None) -> dict:
    """The registry's economy figures computed from its own per-offer-type query
    (kpi_economy_by_offer_type), for one offer type or (None) all of them. A hidden row hides the
    spend and forecast it is part of; a missing budget row counts as no budget (as in the registry)."""
    df = of_type(frame, offer_type)
    spend = _total(df["spend_ytd_dkk"])
    budget = _sum(df["budget_corrected_dkk"])
    forecast = _total(df["forecast_dkk"])
    deviation = None if forecast is None or budget is None else forecast - budget
    return {
        "spend_ytd": spend,
        "budget_corrected": budget,
        "forecast_year_end": forecast,
        "forecast_deviation": deviation,
        "forecast_deviation_pct": _ratio(deviation, budget),
    }


def headline(scope: Scope, fetch: Fetch, values: Values, offer_type: str | None) -> dict:
    """Forecast, budget, deviation, spend to date and forecast per 18-64-year-old: the registry's
    values for all offer types, or the same definitions applied to one offer type."""
    if offer_type is None:
        return values(HEADLINE, scope)
    out = economy_values(fetch(ECON, scope), offer_type)
    out["spend_per_inhabitant"] = _ratio(
        out["forecast_year_end"], population(fetch("kpi_population", scope))
    )
    return out


GROWTH_LABEL = "Vækst i forhold til sidste års regnskab"
GROWTH_HELP = (
    "Forventet regnskab i år divideret med sidste års regnskab (forbruget 1. januar – "
    "31. december sidste år), minus 1. Positiv = vi forventer at bruge mere end sidste år."
)


def growth(
    scope: Scope, fetch: Fetch, values: Values, forecast: object, offer_type: str | None
) -> float | None:
    """This year's forecast against last year's accounts (a closed year), as a share."""
    last = last_year_closed(scope)
    if offer_type is None:
        spent = values(["spend_ytd"], last)["spend_ytd"]
    else:
        spent = economy_values(fetch(ECON, last), offer_type)["spend_ytd"]
    ratio = _ratio(_num(forecast), _num(spent))
    return None if ratio is None else ratio - 1


def economy_sentence(values: dict, scope: Scope, since: date | None = None) -> str:
    """Where the year will end against the budget, in one plain Danish sentence (markdown)."""
    forecast = _num(values.get("forecast_year_end"))
    budget = _num(values.get("budget_corrected"))
    deviation = _num(values.get("forecast_deviation"))
    closed = scope.as_of == scope.year_end
    if forecast is None:
        return "Prognosen kan ikke vises."
    head = (
        f"**Året endte på {fmt.money_compact(forecast)}**"
        if closed
        else f"**Vi forventer at slutte året på {fmt.money_compact(forecast)}**"
    )
    if budget is None or deviation is None:
        return head + " – der er intet korrigeret budget at sammenligne med."
    pct = _num(values.get("forecast_deviation_pct"))
    share = f" ({fmt.percent(abs(pct))})" if pct is not None else ""
    if abs(deviation) < 0.5:
        text = _sentence(f"{head}, præcis det korrigerede budget på {fmt.money_compact(budget)}")
    else:
        side = "over" if deviation > 0 else "under"
        text = _sentence(
            f"{head}, {fmt.money_compact(abs(deviation))}{share} {side} det korrigerede budget "
            f"på {fmt.money_compact(budget)}"
        )
    if since is not None and not closed:
        text += f" Prognosen har vist merforbrug hver måned siden {fmt.long_date(since)}."
    return text


UNIT_TITLES = {"share": "Andel", "kr.": "Kr.", "dage": "Dage", "per 1.000": "Pr. 1.000"}


def axis_format(unit: str) -> tuple[str, str]:
    """Vega number formats (axis, tooltip) for a KPI unit; the Danish locale supplies , and ."""
    if unit == "share":
        return ".1~%", ".1%"
    if unit == "kr.":
        return ",.0f", ",.0f"
    if unit == "per 1.000":
        return ",.1f", ",.1f"
    return ",.0f", ",.0f"


# ---------------------------------------------------------------- economy: through the year


def month_scopes(scope: Scope) -> list[Scope]:
    """The scope as of every month end of its year up to the reference date (which closes it)."""
    return [Scope(scope.municipality, scope.year, d) for d in month_ends(scope.year, scope.as_of)]


def forecast_by_month(
    scope: Scope, fetch: Fetch, values: Values, offer_type: str | None = None
) -> pd.DataFrame:
    """Spend to date, corrected budget, year-end forecast and deviation as of each month end: for
    all offer types the registry's own values at that date, for one offer type the same
    definitions on its row of kpi_economy_by_offer_type. One row per as_of."""
    rows = []
    for s in month_scopes(scope):
        if offer_type is None:
            v = {k: _num(x) for k, x in values(TOTALS, s).items()}
        else:
            v = economy_values(fetch(ECON, s), offer_type)
        rows.append(
            {
                "as_of": s.as_of,
                "spend_ytd_dkk": v["spend_ytd"],
                "budget_corrected_dkk": v["budget_corrected"],
                "forecast_dkk": v["forecast_year_end"],
            }
        )
    df = _with_deviation(pd.DataFrame(rows).astype({c: "float64" for c in ECON_COLUMNS}))
    df["forecast_change_dkk"] = df["forecast_dkk"].diff()
    return df


def economy_month_ends(scope: Scope, fetch: Fetch) -> pd.DataFrame:
    """kpi_economy_by_offer_type as of every month end up to the reference date: one row per
    as_of and offer type (for the breakdowns; totals come from forecast_by_month)."""
    frames = []
    for s in month_scopes(scope):
        df = fetch(ECON, s).copy()
        df.insert(0, "as_of", s.as_of)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def overspend_since(deviation: pd.Series) -> date | None:
    """The first month end of the unbroken run of expected overspend (deviation > 0) that lasts to
    the latest month end; None when the latest forecast is not over budget."""
    since = None
    for d, v in deviation.sort_index().items():
        if _num(v) is not None and v > 0:
            since = since or d
        else:
            since = None
    return since


def since_of(by_month: pd.DataFrame) -> date | None:
    """overspend_since for forecast_by_month's series."""
    return overspend_since(by_month.set_index("as_of")["deviation_dkk"])


def _with_deviation(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["deviation_dkk"] = df["forecast_dkk"] - df["budget_corrected_dkk"]
    budget = df["budget_corrected_dkk"].where(df["budget_corrected_dkk"] != 0)
    df["deviation_pct"] = df["deviation_dkk"] / budget
    return df


def forecast_movement_table(by_month: pd.DataFrame) -> Table:
    """forecast_by_month as a table: how the year-end forecast moved month by month."""
    df = by_month
    frame = pd.DataFrame(
        {
            "Opgjort pr.": df["as_of"],
            label("forecast_year_end"): df["forecast_dkk"],
            label("budget_corrected"): df["budget_corrected_dkk"],
            label("forecast_deviation"): df["deviation_dkk"],
            label("forecast_deviation_pct"): df["deviation_pct"],
            "Prognosens ændring siden måneden før": df["forecast_change_dkk"],
            label("spend_ytd"): df["spend_ytd_dkk"],
        }
    )
    units = {c: "mio" for c in frame.columns}
    units.update({"Opgjort pr.": "date", label("forecast_deviation_pct"): "share"})
    return Table("Prognosen måned for måned", frame, units)


def forecast_lines(by_month: pd.DataFrame) -> pd.DataFrame:
    """Forecast and corrected budget as of each month end, long format in millions (for a chart)."""
    rows = []
    for r in by_month.itertuples():
        rows.append((r.as_of, label("forecast_year_end"), r.forecast_dkk / 1e6))
        rows.append((r.as_of, label("budget_corrected"), r.budget_corrected_dkk / 1e6))
    return pd.DataFrame(rows, columns=["date", "series", "amount_mio"]).dropna()


def month_header(d: date) -> str:
    """'januar' for a month end, '15. oktober' for a reference date inside a month."""
    last = calendar.monthrange(d.year, d.month)[1]
    return fmt.month_name(d.month) if d.day == last else f"{d.day}. {fmt.month_name(d.month)}"


def _relevant(df: pd.DataFrame) -> pd.DataFrame:
    """Rows with any budget, spend or forecast; a hidden row counts as one."""
    hidden = df["spend_ytd_dkk"].isna() | df["forecast_dkk"].isna()
    return df[hidden | df[ECON_COLUMNS].fillna(0).ne(0).any(axis=1)]


def deviation_by_month_table(month_frame: pd.DataFrame, names: dict[str, str]) -> Table:
    """Expected deviation per offer type as of each month end: when did a deviation appear?"""
    df = _with_deviation(month_frame)
    codes = _relevant(df[df["as_of"] == df["as_of"].max()])["offer_type_code"]
    wide = df.pivot(index="offer_type_code", columns="as_of", values="deviation_dkk")
    wide = wide.loc[list(codes)]
    wide = wide.sort_values(wide.columns[-1], ascending=False, na_position="last")
    frame = pd.DataFrame(
        {
            "Indsatstype": [names.get(c, c) for c in wide.index],
            SINCE: [overspend_since(wide.loc[code]) for code in wide.index],
        }
    )
    for d in wide.columns:
        frame[month_header(d)] = wide[d].to_numpy()
    units = {month_header(d): "mio" for d in wide.columns} | {SINCE: "date"}
    return Table("Afvigelse pr. indsatstype og måned", frame, units)


def _grouped(month_frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per as_of and `by` group: spend and forecast hidden when a part is hidden, budget summed."""
    return (
        month_frame.groupby(["as_of", by], sort=True)
        .agg(
            spend_ytd_dkk=("spend_ytd_dkk", _total),
            budget_corrected_dkk=("budget_corrected_dkk", _sum),
            forecast_dkk=("forecast_dkk", _total),
        )
        .reset_index()
        .astype({c: "float64" for c in ECON_COLUMNS})
    )


def _breakdown(month_frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Latest figures per `by` group plus the date since which overspend has been expected,
    largest overspend first."""
    sums = _with_deviation(_grouped(month_frame, by))
    latest = _relevant(sums[sums["as_of"] == sums["as_of"].max()]).set_index(by)
    since = {
        key: overspend_since(group.set_index("as_of")["deviation_dkk"])
        for key, group in sums.groupby(by)
    }
    latest = latest.copy()
    latest["since"] = [since.get(k) for k in latest.index]
    return latest.sort_values("deviation_dkk", ascending=False, na_position="last")


def _economy_frame(
    latest: pd.DataFrame, first: dict[str, list], last: dict[str, list] | None = None
) -> pd.DataFrame:
    """Deviation and since-when first (what a director looks for), then forecast, budget, spend."""
    return pd.DataFrame(
        {
            **first,
            label("forecast_deviation"): latest["deviation_dkk"].to_numpy(),
            label("forecast_deviation_pct"): latest["deviation_pct"].to_numpy(),
            SINCE: list(latest["since"]),
            label("forecast_year_end"): latest["forecast_dkk"].to_numpy(),
            label("budget_corrected"): latest["budget_corrected_dkk"].to_numpy(),
            label("spend_ytd"): latest["spend_ytd_dkk"].to_numpy(),
            **(last or {}),
        }
    )


ECONOMY_UNITS = {
    label("budget_corrected"): "mio",
    label("spend_ytd"): "mio",
    label("forecast_year_end"): "mio",
    label("forecast_deviation"): "mio",
    label("forecast_deviation_pct"): "share",
    SINCE: "date",
}


def offer_type_table(month_frame: pd.DataFrame) -> Table:
    """Budget, spend, forecast and deviation per offer type, largest overspend first, with the
    month end since which overspend has been expected."""
    latest = _breakdown(month_frame, "offer_type_code")
    names = month_frame.drop_duplicates("offer_type_code").set_index("offer_type_code")
    frame = _economy_frame(
        latest,
        {"Indsatstype": list(names.loc[latest.index, "offer_type_name"])},
        {"Kode": list(latest.index)},
    )
    return Table("Pr. indsatstype", frame, ECONOMY_UNITS)


def deviation_bars(t: Table) -> pd.DataFrame:
    """The offer type table's deviation in millions, for a bar chart (hidden rows left out)."""
    df = pd.DataFrame(
        {
            "offer_type": t.frame["Indsatstype"],
            "deviation_mio": t.frame[label("forecast_deviation")] / 1e6,
        }
    )
    return df.dropna()


def account_function_table(month_frame: pd.DataFrame) -> Table:
    """The same per account function (the offer types' function in the chart of accounts)."""
    latest = _breakdown(month_frame, "account_function")
    members = (
        month_frame.drop_duplicates(["account_function", "offer_type_code"])
        .groupby("account_function")["offer_type_code"]
        .agg(lambda codes: ", ".join(sorted(codes)))
    )
    frame = _economy_frame(
        latest,
        {"Kontofunktion": list(latest.index)},
        {"Indsatstyper": [members.get(k, "") for k in latest.index]},
    )
    return Table("Pr. kontofunktion", frame, ECONOMY_UNITS)


def cumulative(scope: Scope, by_month: pd.DataFrame, path: pd.DataFrame) -> pd.DataFrame:
    """The year's cumulative curve: actual spend at each month end up to the reference date, the
    corrected budget spread evenly over the days of the year (budget × day of year / days in the
    year), and the individual-based forecast from the reference date to 31 December
    (econ_forecast_path, whose December value is the year-end forecast). Long format: date,
    series, amount_dkk and amount_mio (for the chart's axis)."""
    rows = [
        (d, ACTUAL, _num(v))
        for d, v in zip(by_month["as_of"], by_month["spend_ytd_dkk"], strict=True)
    ]
    budget = _num(by_month["budget_corrected_dkk"].iloc[-1])
    if budget is not None:
        for d in month_ends(scope.year, scope.year_end):
            rows.append((d, PERIODISED, budget * d.timetuple().tm_yday / scope.days_in_year))
    if scope.as_of < scope.year_end:
        rows.append((scope.as_of, FORECAST, _num(by_month["spend_ytd_dkk"].iloc[-1])))
        rows += [
            (pd.Timestamp(d).date(), FORECAST, _num(v))
            for d, v in zip(path["month_end"], path["forecast_dkk"], strict=True)
        ]
    df = pd.DataFrame(rows, columns=["date", "series", "amount_dkk"]).dropna()
    df["amount_mio"] = df["amount_dkk"] / 1e6
    return df.reset_index(drop=True)


def cumulative_table(curve: pd.DataFrame) -> Table:
    wide = curve.pivot(index="date", columns="series", values="amount_dkk")
    frame = pd.DataFrame({"Dato": list(wide.index)})
    for series in (ACTUAL, PERIODISED, FORECAST):
        if series in wide.columns:
            frame[series] = wide[series].to_numpy()
    units = {"Dato": "date"} | {c: "mio" for c in frame.columns if c != "Dato"}
    return Table("Akkumuleret forbrug, budget og prognose", frame, units)


# ---------------------------------------------------------------- economy: price and quantity


def _cell(df: pd.DataFrame, code: str, column: str) -> float | None:
    """0 when the offer type has no row; None when its value is hidden."""
    if code not in df.index:
        return 0.0
    return _num(df.at[code, column])


def price_quantity(
    this: pd.DataFrame, last: pd.DataFrame, this_scope: Scope, last_scope: Scope
) -> pd.DataFrame:
    """Per offer type: full-year persons Q (grant-days / days in the year), unit cost P (spend /
    grant-days × days in the year, the registry's unit_cost) and spend S = P × Q, this year and in
    the same period last year, with the change split as
        ΔS = ΔQ × P(last year)  +  ΔP × Q(this year)  +  other.
    A type without grant-days in one of the years takes the other year's unit cost (so a new type
    is all quantity); spend without any grant-days is `other`. Hidden inputs give hidden (None)
    results for that offer type."""
    a = this.set_index("offer_type_code")
    b = last.set_index("offer_type_code")
    rows = []
    for code in sorted(set(a.index) | set(b.index)):
        s1, s0 = _cell(a, code, "spend_dkk"), _cell(b, code, "spend_dkk")
        d1, d0 = _cell(a, code, "grant_days"), _cell(b, code, "grant_days")
        row = {"offer_type_code": code, "spend_last": s0, "spend_this": s1}
        if None in (s1, s0, d1, d0):
            rows.append(row)
            continue
        q1, q0 = d1 / this_scope.days_in_year, d0 / last_scope.days_in_year
        p1 = s1 / q1 if q1 else None
        p0 = s0 / q0 if q0 else None
        base0 = p0 if p0 is not None else p1
        base1 = p1 if p1 is not None else base0
        quantity = (q1 - q0) * base0 if base0 is not None else 0.0
        price = (base1 - base0) * q1 if base0 is not None else 0.0
        row |= {
            "persons_last": q0,
            "persons_this": q1,
            "unit_cost_last": p0,
            "unit_cost_this": p1,
            "change": s1 - s0,
            "quantity_effect": quantity,
            "price_effect": price,
            # What is left is rounding noise unless spend had no grant-days behind it.
            "other_effect": round(s1 - s0 - quantity - price, 2) + 0.0,
        }
        rows.append(row)
    columns = [
        "offer_type_code",
        "persons_last",
        "persons_this",
        "unit_cost_last",
        "unit_cost_this",
        "spend_last",
        "spend_this",
        "change",
        "quantity_effect",
        "price_effect",
        "other_effect",
    ]
    df = pd.DataFrame(rows, columns=columns).astype({c: "float64" for c in columns[1:]})
    measures = df[["spend_last", "spend_this", "persons_last", "persons_this"]]
    df = df[(measures.fillna(0).ne(0) | measures.isna()).any(axis=1)]
    order = df["change"].abs().fillna(-1)
    return df.loc[order.sort_values(ascending=False).index].reset_index(drop=True)


QUANTITY_LABEL = "Heraf flere eller færre helårspersoner"
PRICE_LABEL = "Heraf højere eller lavere udgift pr. helårsperson"
OTHER_LABEL = "Heraf udgifter uden bevillingsdage"
QUANTITY_EFFECT = "Flere eller færre helårspersoner"
PRICE_EFFECT = "Højere eller lavere udgift pr. helårsperson"


def price_quantity_table(
    df: pd.DataFrame, names: dict[str, str], this_scope: Scope, last_scope: Scope
) -> Table:
    y1, y0 = this_scope.year, last_scope.year
    unit = label("unit_cost")
    frame = pd.DataFrame(
        {
            "Indsatstype": [names.get(c, c) for c in df["offer_type_code"]],
            f"Helårspersoner {y0}": df["persons_last"],
            f"Helårspersoner {y1}": df["persons_this"],
            f"{unit} {y0}": df["unit_cost_last"],
            f"{unit} {y1}": df["unit_cost_this"],
            f"Forbrug {y0}": df["spend_last"],
            f"Forbrug {y1}": df["spend_this"],
            "Ændring i forbrug": df["change"],
            QUANTITY_LABEL: df["quantity_effect"],
            PRICE_LABEL: df["price_effect"],
            OTHER_LABEL: df["other_effect"],
        }
    )
    if frame[OTHER_LABEL].fillna(0).abs().max() < 1:
        frame = frame.drop(columns=OTHER_LABEL)
    units = {c: "mio" for c in frame.columns if c != "Indsatstype"}
    units.update(
        {
            f"Helårspersoner {y0}": "decimal",
            f"Helårspersoner {y1}": "decimal",
            f"{unit} {y0}": "kr.",
            f"{unit} {y1}": "kr.",
        }
    )
    return Table("Pris og mængde", frame, units)


def price_quantity_effects(df: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Long format for the chart: offer type, effect (quantity / price), amount in millions."""
    rows = []
    for r in df.dropna(subset=["change"]).itertuples():
        name = names.get(r.offer_type_code, r.offer_type_code)
        rows.append((name, QUANTITY_EFFECT, r.quantity_effect / 1e6))
        rows.append((name, PRICE_EFFECT, r.price_effect / 1e6))
    return pd.DataFrame(rows, columns=["offer_type", "effect", "amount_mio"])


def price_quantity_summary(df: pd.DataFrame) -> dict[str, float] | None:
    """Totals of the decomposition; None when an offer type's figures are hidden (their totals
    would give them away)."""
    keys = ("spend_last", "spend_this", "change", "quantity_effect", "price_effect")
    if df[list(keys)].isna().any().any():
        return None
    return {k: float(df[k].sum()) for k in keys}


def price_quantity_sentence(summary: dict[str, float] | None, this: Scope, last: Scope) -> str:
    """The decomposition in one plain Danish sentence."""
    period = f"1. januar – {fmt.long_date(this.as_of)}"
    if summary is None:
        return (
            "Nogle indsatstyper har under 5 borgere, så ændringen kan ikke opdeles samlet; se "
            "tabellen for de øvrige."
        )
    change, quantity, price = summary["change"], summary["quantity_effect"], summary["price_effect"]
    if summary["spend_last"] == 0:
        return f"Der er ingen bogførte udgifter i samme periode {last.year} at sammenligne med."
    if summary["spend_this"] == 0:
        return f"Der er endnu ingen bogførte udgifter i perioden {period}."
    if change == 0 and quantity == 0 and price == 0:
        return f"Forbruget {period} er det samme som i samme periode {last.year}."
    verb = "steget" if change >= 0 else "faldet"
    more = "flere" if quantity >= 0 else "færre"
    higher = "højere" if price >= 0 else "lavere"
    return (
        f"Forbruget {period} er {verb} med {fmt.money_compact(abs(change))} i forhold til samme "
        f"periode {last.year}: {fmt.money_compact(abs(quantity))} skyldes {more} helårspersoner, "
        f"og {fmt.money_compact(abs(price))} skyldes {higher} udgift pr. helårsperson."
    )


# ---------------------------------------------------------------- economy: own and external


def _citizens(df: pd.DataFrame) -> list:
    """The citizens column as shown: '<5' where the row was suppressed for being small."""
    marker = df["suppressed"] if "suppressed" in df.columns else pd.Series("", index=df.index)
    return [fmt.SMALL if m == fmt.SMALL else n for m, n in zip(marker, df["citizens"], strict=True)]


def owner_table(frame: pd.DataFrame) -> Table:
    """econ_spend_by_owner: spend to date by the offer's owner type and its share of all spend."""
    df = frame.copy()
    df["owner"] = df["owner_type"].map(OWNER_LABELS).fillna(NO_OFFER)
    df["order"] = df["owner"].map({o: i for i, o in enumerate([*OWNER_LABELS.values(), NO_OFFER])})
    df = df.sort_values("order")
    total = _total(df["spend_dkk"])
    out = pd.DataFrame(
        {
            "Ejerform": list(df["owner"]),
            label("spend_ytd"): df["spend_dkk"].to_numpy(),
            "Andel af forbruget": (df["spend_dkk"] / total).to_numpy() if total else None,
        }
    )
    return Table("Efter ejerform", out, {label("spend_ytd"): "mio", "Andel af forbruget": "share"})


def owner_bars(t: Table) -> pd.DataFrame:
    return pd.DataFrame(
        {"owner": t.frame["Ejerform"], "spend_mio": t.frame[label("spend_ytd")] / 1e6}
    ).dropna()


def provider_table(frame: pd.DataFrame, names: dict[str, str], offer_type: str | None) -> Table:
    """econ_spend_by_provider: spend to date per offer (provider) and offer type, largest first."""
    df = of_type(frame, offer_type).sort_values("spend_dkk", ascending=False, na_position="last")
    out = pd.DataFrame(
        {
            "Tilbud": list(df["offer_name"]),
            "Ejerform": [OWNER_LABELS.get(o, NO_OFFER) for o in df["owner_type"]],
            "Indsatstype": [names.get(c, c) for c in df["offer_type_code"]],
            label("spend_ytd"): df["spend_dkk"].to_numpy(),
            "Borgere": _citizens(df),
        }
    )
    return Table("Pr. tilbud", out, {label("spend_ytd"): "mio", "Borgere": "count"})


def provider_bars(t: Table, top: int = 15) -> pd.DataFrame:
    """The `top` largest providers (offer and offer type) in millions, for a bar chart."""
    df = pd.DataFrame(
        {
            "provider": [
                f"{name} ({kind})"
                for name, kind in zip(t.frame["Tilbud"], t.frame["Indsatstype"], strict=True)
            ],
            "spend_mio": t.frame[label("spend_ytd")] / 1e6,
        }
    ).dropna()
    return df.head(top)


# ---------------------------------------------------------------- strategy: targets


def target_overview(scope: Scope, fetch: Fetch, values: Values) -> pd.DataFrame:
    """One row per political target of the year: KPI, actual, target, status and the council's
    words, the missed targets first."""
    status = values(["target_status"], scope)["target_status"] or {}
    notes = fetch("kpi_strategy_targets", scope).set_index("kpi_key")
    rows = []
    for key, s in status.items():
        kpi = kpis.REGISTRY[key]
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
    unit, actual, target = row["unit"], _num(row["actual"]), row["target"]
    goal = f"{COMPARATOR[row['better']]} {fmt.value(unit, target)}"
    if actual is None:
        return _sentence(f"Ingen opgørelse endnu; målet er {goal}")
    text = f"{fmt.value(unit, actual)} mod et mål på {goal}"
    if row["status"] in ("yellow", "red") and actual != target:
        text += f" – {_distance(unit, actual - target)} for {'højt' if actual > target else 'lavt'}"
    return _sentence(text)


def trend_text(key: str, history: pd.DataFrame) -> str:
    """How the KPI moved since the previous year in the history, in plain Danish."""
    h = history[history["key"] == key].dropna(subset=["value"]).sort_values("year")
    if len(h) < 2:
        return "Ingen tal fra tidligere år at sammenligne med."
    prev, last = h.iloc[-2], h.iloc[-1]
    kpi = kpis.REGISTRY[key]
    before = f"{fmt.value(kpi.unit, prev['value'])} i {prev['year']}"
    if math.isclose(last["value"], prev["value"], rel_tol=1e-9, abs_tol=1e-12):
        return f"Uændret i forhold til {before}."
    up = last["value"] > prev["value"]
    if kpi.better is None:
        return f"{'Højere' if up else 'Lavere'} end {before}."
    better = up == (kpi.better == "up")
    return f"{'Bedre' if better else 'Dårligere'} end {before}."


def kpi_history(scopes: list[Scope], keys: list[str], values: Values) -> pd.DataFrame:
    """Long format: year, as_of, key, value, and the year's target and status when one is set."""
    keys = list(dict.fromkeys(keys))
    rows = []
    for s in scopes:
        v = values([*keys, "target_status"], s)
        status = v.get("target_status") or {}
        for key in keys:
            value = v.get(key)
            t = status.get(key) or {}
            rows.append(
                {
                    "year": s.year,
                    "as_of": s.as_of,
                    "key": key,
                    "value": _num(value) if not isinstance(value, dict) else None,
                    "target": t.get("target"),
                    "status": t.get("status"),
                }
            )
    return pd.DataFrame(rows, columns=["year", "as_of", "key", "value", "target", "status"])


def target_chart_data(history: pd.DataFrame, key: str) -> pd.DataFrame:
    """Actual and target per year for one KPI, long format for a line chart."""
    h = history[history["key"] == key]
    rows = [(str(r.year), "Faktisk", r.value) for r in h.itertuples() if r.value is not None]
    rows += [(str(r.year), "Mål", r.target) for r in h.itertuples() if _num(r.target) is not None]
    return pd.DataFrame(rows, columns=["year", "series", "value"])


def target_table(history: pd.DataFrame, key: str, scopes: list[Scope]) -> Table:
    kpi = kpis.REGISTRY[key]
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


# ---------------------------------------------------------------- strategy: indsatstrappe


def step_labels(offer_types: pd.DataFrame) -> dict[int, str]:
    """'Trin 1: Forebyggende og tidsbegrænset støtte' per staircase step."""
    on = offer_types.dropna(subset=["staircase_step"])
    out = {}
    for step, group in on.groupby("staircase_step"):
        out[int(step)] = f"Trin {int(step)}: " + " / ".join(group.sort_values("name")["name"])
    return out


def staircase_history(
    scopes: list[Scope], fetch: Fetch, values: Values, labels: dict[int, str]
) -> pd.DataFrame:
    """Citizens on the indsatstrappe by highest active step, per year: the registry's
    staircase_distribution (shares) with the counts of its query kpi_staircase. Columns year,
    when, step, step_label, citizens, share, text (the share as a label for large segments)."""
    rows = []
    for s in scopes:
        shares = values(["staircase_distribution"], s)["staircase_distribution"] or {}
        counts = fetch("kpi_staircase", s).set_index("step")["citizens"]
        for key, share in shares.items():
            step = int(key)
            rows.append(
                {
                    "year": s.year,
                    "when": when(s),
                    "step": step,
                    "step_label": labels.get(step, f"Trin {step}"),
                    "citizens": _num(counts.get(step)),
                    "share": _num(share),
                }
            )
    df = pd.DataFrame(rows, columns=["year", "when", "step", "step_label", "citizens", "share"])
    df = df.astype({"citizens": "float64", "share": "float64"}).sort_values(["year", "step"])
    df["text"] = [fmt.percent(v, 0) if v >= 0.04 else "" for v in df["share"].fillna(0)]
    return df.reset_index(drop=True)


def staircase_table(history: pd.DataFrame) -> Table:
    wide = history.pivot(index=["year", "when"], columns="step", values="share")
    counts = history.groupby(["year", "when"])["citizens"].agg(_total)
    frame = pd.DataFrame({"År": [w for _, w in wide.index]})
    for step in wide.columns:
        frame[f"Trin {step}"] = wide[step].to_numpy()
    frame["Borgere på trappen"] = counts.reindex(wide.index).to_numpy()
    units = {f"Trin {s}": "share" for s in wide.columns} | {"Borgere på trappen": "count"}
    return Table(label("staircase_distribution"), frame, units)


def history_lines(history: pd.DataFrame, key: str) -> pd.DataFrame:
    """One KPI's values per year (with its target where one is set), for a line chart."""
    return target_chart_data(history, key).replace({"Faktisk": label(key)})


def history_table(history: pd.DataFrame, keys: list[str], scopes: list[Scope]) -> Table:
    frame = pd.DataFrame({"År": [when(s) for s in scopes]})
    units = {}
    for key in keys:
        kpi = kpis.REGISTRY[key]
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
