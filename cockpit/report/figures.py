"""Charts for the paper: the Altair charts of cockpit/present/charts.py drawn as vector SVG by
vl-convert (no browser), in the cockpit's Danish locale."""

from __future__ import annotations

import vl_convert

from cockpit.present.charts import LOCALE

FONT = "DejaVu Sans"  # a font every renderer of the report has


def svg(chart) -> str:
    """The chart as an SVG document, with print-size labels and the Danish number format."""
    spec = chart.properties(background="white").to_dict()
    config = spec.setdefault("config", {})
    config["font"] = FONT
    config.setdefault("axis", {}).update({"labelFontSize": 11, "titleFontSize": 11})
    config.setdefault("legend", {}).update({"labelFontSize": 11, "orient": "bottom"})
    return vl_convert.vegalite_to_svg(
        spec, format_locale=LOCALE["number"], time_format_locale=LOCALE["time"]
    )


def png(chart, ppi: int = 200) -> bytes:
    """The chart as a PNG at print resolution (for Word, which shows SVG only in new versions)."""
    spec = chart.properties(background="white").to_dict()
    spec.setdefault("config", {})["font"] = FONT
    return vl_convert.vegalite_to_png(
        spec, ppi=ppi, format_locale=LOCALE["number"], time_format_locale=LOCALE["time"]
    )
