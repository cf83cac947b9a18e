"""Økonomi: where the year will end, through the year as of each month end, and per offer type and
account function (pages/oekonomi.py, pages/strategi.py). Pure: the frames and the registry values
come from the caller (cockpit/ui/economy.py gathers them through the gateway, which hides small
numbers: hidden numbers arrive as NaN / None and stay hidden here, and totals come from the
registry rather than from adding up a breakdown with hidden rows)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

import pandas as pd

from cockpit.downloads import Table
from cockpit.metrics import REGISTRY
from cockpit.periods import Scope, month_ends
from cockpit.present import fmt
from cockpit.views.common import hidden_total, num, sentence, share, total_of

ECON_COLUMNS = ["spend_ytd_dkk", "budget_corrected_dkk", "forecast_dkk"]
TOTALS = ["spend_ytd", "budget_corrected", "forecast_year_end"]

ACTUAL = "Faktisk forbrug"


PERIODISED = "Periodiseret budget"


FORECAST = "Forventet forbrug"


SINCE = "Merforbrug forventet siden"


def growth(forecast: object, last_spend: object) -> float | None:
    """This year's forecast against last year's accounts (a closed year), as a share."""
    ratio = share(num(forecast), num(last_spend))
    return None if ratio is None else ratio - 1


def economy_sentence(values: dict, scope: Scope, since: date | None = None) -> str:
    """Where the year will end against the budget, in one plain Danish sentence (markdown)."""
    forecast = num(values.get("forecast_year_end"))
    budget = num(values.get("budget_corrected"))
    deviation = num(values.get("forecast_deviation"))
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
    pct = num(values.get("forecast_deviation_pct"))
    share = f" ({fmt.percent(abs(pct))})" if pct is not None else ""
    if abs(deviation) < 0.5:
        text = sentence(f"{head}, præcis det korrigerede budget på {fmt.money_compact(budget)}")
    else:
        side = "over" if deviation > 0 else "under"
        text = sentence(
            f"{head}, {fmt.money_compact(abs(deviation))}{share} {side} det korrigerede budget "
            f"på {fmt.money_compact(budget)}"
        )
    if since is not None and not closed:
        text += f" Prognosen har vist merforbrug hver måned siden {fmt.long_date(since)}."
    return text


def forecast_by_month(values: Iterable[tuple[date, dict]]) -> pd.DataFrame:
    """Spend to date, corrected budget, year-end forecast and deviation as of each month end, from
    the registry's values (TOTALS) at each date (for all offer types or for one). One row per
    as_of."""
    rows = [
        {
            "as_of": as_of,
            "spend_ytd_dkk": num(v["spend_ytd"]),
            "budget_corrected_dkk": num(v["budget_corrected"]),
            "forecast_dkk": num(v["forecast_year_end"]),
        }
        for as_of, v in values
    ]
    df = _with_deviation(pd.DataFrame(rows).astype({c: "float64" for c in ECON_COLUMNS}))
    df["forecast_change_dkk"] = df["forecast_dkk"].diff()
    return df


def economy_month_ends(frames: Iterable[tuple[date, pd.DataFrame]]) -> pd.DataFrame:
    """kpi_economy_by_offer_type as of every month end up to the reference date: one row per
    as_of and offer type (for the breakdowns; totals come from forecast_by_month)."""
    out = []
    for as_of, df in frames:
        df = df.copy()
        df.insert(0, "as_of", as_of)
        out.append(df)
    return pd.concat(out, ignore_index=True)


def overspend_since(deviation: pd.Series) -> date | None:
    """The first month end of the unbroken run of expected overspend (deviation > 0) that lasts to
    the latest month end; None when the latest forecast is not over budget."""
    since = None
    for d, v in deviation.sort_index().items():
        if num(v) is not None and v > 0:
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
            REGISTRY["forecast_year_end"].label: df["forecast_dkk"],
            REGISTRY["budget_corrected"].label: df["budget_corrected_dkk"],
            REGISTRY["forecast_deviation"].label: df["deviation_dkk"],
            REGISTRY["forecast_deviation_pct"].label: df["deviation_pct"],
            "Prognosens ændring siden måneden før": df["forecast_change_dkk"],
            REGISTRY["spend_ytd"].label: df["spend_ytd_dkk"],
        }
    )
    units = {c: "mio" for c in frame.columns}
    units.update({"Opgjort pr.": "date", REGISTRY["forecast_deviation_pct"].label: "share"})
    return Table("Prognosen måned for måned", frame, units)


def forecast_lines(by_month: pd.DataFrame) -> pd.DataFrame:
    """Forecast and corrected budget as of each month end, long format in millions (for a chart)."""
    rows = []
    for r in by_month.itertuples():
        rows.append((r.as_of, REGISTRY["forecast_year_end"].label, r.forecast_dkk / 1e6))
        rows.append((r.as_of, REGISTRY["budget_corrected"].label, r.budget_corrected_dkk / 1e6))
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
            spend_ytd_dkk=("spend_ytd_dkk", hidden_total),
            budget_corrected_dkk=("budget_corrected_dkk", total_of),
            forecast_dkk=("forecast_dkk", hidden_total),
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
            REGISTRY["forecast_deviation"].label: latest["deviation_dkk"].to_numpy(),
            REGISTRY["forecast_deviation_pct"].label: latest["deviation_pct"].to_numpy(),
            SINCE: list(latest["since"]),
            REGISTRY["forecast_year_end"].label: latest["forecast_dkk"].to_numpy(),
            REGISTRY["budget_corrected"].label: latest["budget_corrected_dkk"].to_numpy(),
            REGISTRY["spend_ytd"].label: latest["spend_ytd_dkk"].to_numpy(),
            **(last or {}),
        }
    )


ECONOMY_UNITS = {
    REGISTRY["budget_corrected"].label: "mio",
    REGISTRY["spend_ytd"].label: "mio",
    REGISTRY["forecast_year_end"].label: "mio",
    REGISTRY["forecast_deviation"].label: "mio",
    REGISTRY["forecast_deviation_pct"].label: "share",
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
            "deviation_mio": t.frame[REGISTRY["forecast_deviation"].label] / 1e6,
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
        (d, ACTUAL, num(v))
        for d, v in zip(by_month["as_of"], by_month["spend_ytd_dkk"], strict=True)
    ]
    budget = num(by_month["budget_corrected_dkk"].iloc[-1])
    if budget is not None:
        for d in month_ends(scope.year, scope.year_end):
            rows.append((d, PERIODISED, budget * d.timetuple().tm_yday / scope.days_in_year))
    if scope.as_of < scope.year_end:
        rows.append((scope.as_of, FORECAST, num(by_month["spend_ytd_dkk"].iloc[-1])))
        rows += [
            (pd.Timestamp(d).date(), FORECAST, num(v))
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
