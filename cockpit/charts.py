"""Altair chart builders and the one registered theme with the Danish locale; no Streamlit here."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cockpit.fmt import MONTHS

SHORT_MONTHS = [m[:3] + "." if len(m) > 4 else m for m in MONTHS]
DAYS = ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"]

# Vega's d3-format / d3-time-format locale for Danish.
LOCALE = {
    "number": {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["", " kr."],
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
STATUS_COLOURS = {"green": "#1a7f37", "yellow": "#b7791f", "red": "#c62828"}

MONEY_AXIS = ",.0f"
MILLIONS_AXIS = ",.1f"


@alt.theme.register("cockpit", enable=True)
def cockpit_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "locale": LOCALE,
            "range": {"category": PALETTE},
            "font": "Source Sans Pro, sans-serif",
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "grid": True},
            "legend": {"orient": "bottom", "labelFontSize": 12, "titleFontSize": 12},
            "view": {"stroke": None},
        }
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


def lines(
    df: pd.DataFrame,
    x: str,
    y: str,
    series: str,
    x_title: str,
    y_title: str,
    y_format: str = MILLIONS_AXIS,
) -> alt.Chart:
    """One line per series over time; series differ by colour and by dash, and carry point marks."""
    return (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:T", title=x_title, axis=alt.Axis(format="%b")),
            y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
            color=alt.Color(f"{series}:N", title=None),
            strokeDash=alt.StrokeDash(f"{series}:N", title=None),
            shape=alt.Shape(f"{series}:N", title=None),
            tooltip=[
                alt.Tooltip(f"{series}:N", title="Serie"),
                alt.Tooltip(f"{x}:T", title=x_title, format="%d. %B %Y"),
                alt.Tooltip(f"{y}:Q", title=y_title, format=y_format),
            ],
        )
    )
