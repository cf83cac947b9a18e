"""Altair chart builders and the one registered theme with the Danish locale; no Streamlit here."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cockpit.present.fmt import MONTHS

SHORT_MONTHS = [m[:3] + "." if len(m) > 4 else m for m in MONTHS]
DAYS = ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"]

# Vega's d3-format / d3-time-format locale for Danish.
LOCALE = {
    "number": {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["", "\u00a0kr."],
        # Danish writes a space before the percent sign ("21 %"); non-breaking, so "21" and "%"
        # never part on a narrow screen.
        "percent": "\u00a0%",
    },
    "time": {
        "dateTime": "%A den %d %B %Y %H:%M:%S",
        "date": "%d-%m-%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": DAYS,
        "shortDays": [d[:3] for d in DAYS],
        "months": list(MONTHS),
        "shortMonths": SHORT_MONTHS,
    },
}

# Colour-blind safe palette (Okabe-Ito); marks also differ by dash or shape, so colour is never
# the only carrier of meaning.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

MONEY_AXIS = ",.0f"
MILLIONS_AXIS = ",.1f"
UNIT_TITLES = {"share": "Andel", "kr.": "Kr.", "dage": "Dage", "per 1.000": "Pr. 1.000"}


def axis_format(unit: str) -> tuple[str, str]:
    """Vega number formats (axis, tooltip) for a KPI unit; the Danish locale supplies , and ."""
    if unit == "share":
        return ".1~%", ".1%"
    if unit == "per 1.000":
        return ",.1f", ",.1f"
    return ",.0f", ",.0f"


@alt.theme.register("cockpit", enable=True)
def cockpit_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "locale": LOCALE,
            # No ARIA roles on single marks and axes: Vega gives each mark group role "img" with no
            # name (axe: svg-img-alt). The chart is named as a whole by st.altair_chart's `alt`
            # text, and its numbers are in the "Vis som tabel" table.
            "aria": False,
            "mark": {"aria": False},
            "range": {"category": PALETTE},
            "font": "Source Sans Pro, sans-serif",
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "grid": True},
            "legend": {"orient": "bottom", "labelFontSize": 12, "titleFontSize": 12},
            "view": {"stroke": None},
        }
    }


def series_marks(series: str) -> dict:
    """Colour, dash and point shape all follow the series, so a line chart never relies on
    colour alone."""
    return {
        "color": alt.Color(f"{series}:N", title=None),
        "strokeDash": alt.StrokeDash(f"{series}:N", title=None),
        "shape": alt.Shape(f"{series}:N", title=None),
    }


def bar(
    df: pd.DataFrame,
    category: str,
    value: str,
    category_title: str,
    value_title: str,
    value_format: str = MONEY_AXIS,
) -> alt.Chart:
    """A horizontal bar chart, longest first, with a Danish tooltip."""
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=category_title, sort="-x"),
            x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format)),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
            ],
        )
    )


# ---------------------------------------------------------------- social-professional view

PICK = "vaelg"  # the name of the click selection in clickable charts (st.altair_chart on_select)


def stacked_months(
    df: pd.DataFrame, month: str, value: str, series: str, value_title: str
) -> alt.Chart:
    """Monthly columns stacked by series (e.g. decisions per month by kind)."""
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X(f"month({month}):O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"sum({value}):Q", title=value_title, axis=alt.Axis(format=",.0f")),
            color=alt.Color(f"{series}:N", title=None),
            order=alt.Order(f"{series}:N"),
            tooltip=[
                alt.Tooltip(f"yearmonth({month}):T", title="Måned", format="%B %Y"),
                alt.Tooltip(f"{series}:N", title=series),
                alt.Tooltip(f"sum({value}):Q", title=value_title, format=",.0f"),
            ],
        )
    )


def ordered_columns(
    df: pd.DataFrame, category: str, value: str, value_title: str, order: list[str]
) -> alt.Chart:
    """Vertical columns in a fixed category order (e.g. processing-time buckets)."""
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X(f"{category}:N", title=None, sort=order, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format=",.0f")),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category),
                alt.Tooltip(f"{value}:Q", title=value_title, format=",.0f"),
            ],
        )
    )


def monthly_bars(
    df: pd.DataFrame,
    month: str,
    value: str,
    value_title: str,
    series: str | None = None,
    value_format: str = MONEY_AXIS,
) -> alt.Chart:
    """Money per month as columns, optionally stacked by series (e.g. offer type)."""
    encoding = {
        "x": alt.X(
            f"yearmonth({month}):O", title=None, axis=alt.Axis(format="%b %y", labelAngle=-45)
        ),
        "y": alt.Y(f"sum({value}):Q", title=value_title, axis=alt.Axis(format=value_format)),
        "tooltip": [
            alt.Tooltip(f"yearmonth({month}):T", title="Måned", format="%B %Y"),
            alt.Tooltip(f"sum({value}):Q", title=value_title, format=value_format),
        ],
    }
    if series:
        encoding["color"] = alt.Color(f"{series}:N", title=None)
        encoding["tooltip"].insert(1, alt.Tooltip(f"{series}:N", title=series))
    return alt.Chart(df).mark_bar().encode(**encoding)


def timeline(
    df: pd.DataFrame, start: str, end: str, row: str, colour: str, details: list[str]
) -> alt.Chart:
    """One horizontal bar per period (e.g. a citizen's grants), coloured by a category. Streamlit
    1.67 ignores the chart's own height for this band chart: pass height to st.altair_chart."""
    return (
        alt.Chart(df)
        .mark_bar(height=14, cornerRadius=2)
        .encode(
            x=alt.X(f"{start}:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            x2=f"{end}:T",
            y=alt.Y(f"{row}:N", title=None, sort=None),
            color=alt.Color(f"{colour}:N", title=None),
            tooltip=[alt.Tooltip(f"{c}:N", title=c) for c in details],
        )
    )


def level_lines(df: pd.DataFrame, when: str, level: str, series: str) -> alt.Chart:
    """Functional level (0-4, lower is better) over time per theme; the axis is turned so that
    improvement points up."""
    return (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{when}:T", title=None, axis=alt.Axis(format="%b %Y")),
            y=alt.Y(
                f"{level}:Q",
                title="Funktionsniveau",
                scale=alt.Scale(domain=[4, 0]),
                axis=alt.Axis(values=[0, 1, 2, 3, 4], format="d"),
            ),
            color=alt.Color(f"{series}:N", title=None),
            strokeDash=alt.StrokeDash(f"{series}:N", title=None),
            tooltip=[
                alt.Tooltip(f"{series}:N", title="Tema"),
                alt.Tooltip(f"{when}:T", title="Vurderet", format="%d. %B %Y"),
                alt.Tooltip(f"{level}:Q", title="Funktionsniveau"),
            ],
        )
    )


def clickable_bar(
    df: pd.DataFrame,
    category: str,
    value: str,
    key: str,
    category_title: str,
    value_title: str,
    value_format: str = MONEY_AXIS,
) -> alt.Chart:
    """A horizontal bar chart, longest first, where a click selects one bar's `key` (the selection
    is named PICK; show it with st.altair_chart(on_select="rerun"))."""
    pick = alt.selection_point(name=PICK, fields=[key], on="click")
    return (
        alt.Chart(df)
        .mark_bar(cursor="pointer")
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort="-x", axis=alt.Axis(labelLimit=320)),
            x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format)),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
            ],
        )
        .add_params(pick)
    )


# ---------------------------------------------------------------- strategy and economy (issue 3)

# Light to dark: the indsatstrappe's steps read in order even in greyscale.
STEP_COLOURS = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"]
SHARE_AXIS = ".0%"  # "12 %": the Danish locale's percent sign carries its non-breaking space


def by_year(
    df: pd.DataFrame,
    x: str,
    y: str,
    series: str,
    x_title: str,
    y_title: str,
    y_format: str = MILLIONS_AXIS,
    tooltip_format: str | None = None,
) -> alt.Chart:
    """One line per series over years (ordinal x); series differ by colour, dash and point shape."""
    return (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True))
        .encode(
            x=alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                f"{y}:Q",
                title=y_title,
                axis=alt.Axis(format=y_format),
                scale=alt.Scale(zero=False),
            ),
            **series_marks(series),
            tooltip=[
                alt.Tooltip(f"{series}:N", title="Serie"),
                alt.Tooltip(f"{x}:O", title=x_title),
                alt.Tooltip(f"{y}:Q", title=y_title, format=tooltip_format or y_format),
            ],
        )
    )


def staircase(
    df: pd.DataFrame,
    x: str = "when",
    step: str = "step",
    step_label: str = "step_label",
    share: str = "share",
    text: str = "text",
    x_title: str = "År",
    y_title: str = "Andel af borgerne på trappen",
) -> alt.LayerChart:
    """100 % columns per year split by step on the indsatstrappe, step 1 at the bottom, light to
    dark, each segment labelled with its share (so the chart reads without colour)."""
    labels = list(df.sort_values(step)[step_label].drop_duplicates())
    base = (
        alt.Chart(df)
        .transform_stack(
            stack=share, as_=["lo", "hi"], groupby=[x], sort=[alt.SortField(step, "ascending")]
        )
        .transform_calculate(mid="(datum.lo + datum.hi) / 2")
    )
    x_enc = alt.X(f"{x}:N", title=x_title, sort=None, axis=alt.Axis(labelAngle=0))
    bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
        x=x_enc,
        y=alt.Y(
            "lo:Q", title=y_title, axis=alt.Axis(format=SHARE_AXIS), scale=alt.Scale(domain=[0, 1])
        ),
        y2="hi:Q",
        color=alt.Color(
            f"{step_label}:N",
            title=None,
            scale=alt.Scale(domain=labels, range=STEP_COLOURS[: len(labels)]),
            # Below the chart, one step a line: beside it the legend left the columns 1 px wide
            # on a phone.
            legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=320),
        ),
        tooltip=[
            alt.Tooltip(f"{x}:N", title=x_title),
            alt.Tooltip(f"{step_label}:N", title="Trin"),
            alt.Tooltip(f"{share}:Q", title="Andel", format=".1%"),
            alt.Tooltip("citizens:Q", title="Borgere", format=",.0f"),
        ],
    )
    labels_layer = base.mark_text(fontSize=11).encode(
        x=x_enc,
        y=alt.Y("mid:Q"),
        text=alt.Text(f"{text}:N"),
        color=alt.condition(f"datum.{step} >= 4", alt.value("white"), alt.value("black")),
    )
    return alt.layer(bars, labels_layer)


def effects(
    df: pd.DataFrame,
    category: str,
    value: str,
    facet: str,
    category_title: str,
    value_title: str,
    value_format: str = MILLIONS_AXIS,
) -> alt.FacetChart:
    """Horizontal bars per category in one panel per facet (e.g. quantity and price effect per
    offer type); the panels are titled, so colour carries no meaning. Categories keep data order."""
    order = list(dict.fromkeys(df[category]))
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format)),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip(f"{facet}:N", title="Forklaring"),
                alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
            ],
        )
        .properties(width=300)
    )
    zero = alt.Chart().mark_rule(color="#444").encode(x=alt.datum(0))
    return alt.layer(bars, zero, data=df).facet(
        column=alt.Column(f"{facet}:N", title=None, header=alt.Header(labelFontSize=13))
    )


def month_lines(
    df: pd.DataFrame,
    x: str,
    y: str,
    series: str,
    x_title: str,
    y_title: str,
    y_format: str = MILLIONS_AXIS,
    zero: bool = True,
) -> alt.Chart:
    """One line per series over the months of a year: a value as of a month end sits on that
    month's tick ("okt." for 31 October), the tooltip gives the exact date. Series differ by colour,
    dash and point shape."""
    return (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=50, filled=True))
        .encode(
            x=alt.X(
                f"yearmonth({x}):T",
                title=x_title,
                axis=alt.Axis(format="%b", tickCount="month", labelAngle=0),
            ),
            y=alt.Y(
                f"{y}:Q",
                title=y_title,
                axis=alt.Axis(format=y_format),
                scale=alt.Scale(zero=zero),
            ),
            **series_marks(series),
            tooltip=[
                alt.Tooltip(f"{series}:N", title="Serie"),
                alt.Tooltip(f"{x}:T", title="Opgjort pr.", format="%d. %B %Y"),
                alt.Tooltip(f"{y}:Q", title=y_title, format=y_format),
            ],
        )
    )


def long_labels(chart: alt.Chart, limit: int = 320) -> alt.Chart:
    """Room for long category names (offer types, offers) on the y axis; the axis title goes (the
    section heading names the categories, the tooltip keeps the title)."""
    chart = chart.copy(deep=True)
    chart.encoding.y.title = None
    return chart.configure_axisY(labelLimit=limit)
