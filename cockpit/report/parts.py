"""The pieces of a report section (cockpit/report/model.py): a chart with its alt text, and a
section of paragraphs, figures and tables."""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt

from cockpit.downloads import Table


@dataclass(frozen=True)
class Figure:
    """A chart with the alt text that describes it to a screen reader."""

    chart: alt.TopLevelMixin
    alt_text: str


@dataclass
class Section:
    """One heading of the report: plain-Danish paragraphs, then figures, then tables."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    level: int = 1
