"""The Strategi page's sections (pages/strategi.py): are we meeting the political targets, are
citizens moving to less intrusive help on the indsatstrappe, year by year. Registry values per
year come through the gateway; tables, sentences and chart data from cockpit/views/strategy.py."""

from __future__ import annotations

from functools import cached_property

import pandas as pd
import streamlit as st

from cockpit.periods import Scope, year_scopes
from cockpit.present import charts
from cockpit.present.labels import STATUS_TEXT
from cockpit.ui import session
from cockpit.ui.frame import plain
from cockpit.ui.widgets import chart_with_table, kpi_row
from cockpit.views import strategy

STATUS_BADGES = {
    "green": (":material/check_circle:", "green"),
    "yellow": (":material/error:", "orange"),
    "red": (":material/cancel:", "red"),
    None: (":material/help:", "gray"),
}
TARGETS = (
    "Nået: målet er opfyldt. Tæt på: målet er misset med højst 5 % af målværdien. Ikke nået: "
    "misset med mere. Tidligere år er opgjort pr. 31. december, i år pr. opgørelsesdatoen."
)
STAIRCASE = (
    "Borgere med en aktiv indsats på trappen, placeret efter det højeste trin, de har. Trin 1 er "
    "den mindst indgribende hjælp, trin 5 længerevarende botilbud. Gælder alle indsatstyper."
)
TRENDS = ["botilbud_share", "citizens_per_1000"]


class Strategy:
    """The targets and the indsatstrappe of one scope and up to four earlier years."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.scopes = year_scopes(scope, session.years_with_data(scope.municipality))

    @cached_property
    def targets(self) -> pd.DataFrame:
        status = session.kpi_values(["target_status"], self.scope)["target_status"]
        return strategy.target_overview(
            status, session.aggregate("kpi_strategy_targets", self.scope)
        )

    @cached_property
    def history(self) -> pd.DataFrame:
        keys = [*self.targets["key"], *TRENDS]
        per_year = [(s, session.kpi_values([*keys, "target_status"], s)) for s in self.scopes]
        return strategy.kpi_history(per_year, keys)

    def targets_section(self) -> None:
        st.header("Når vi de politiske mål?")
        st.markdown(f"**{strategy.target_summary(self.targets)}**")
        st.caption(TARGETS)
        for row in self.targets.to_dict("records"):
            self._target(row)

    def _target(self, row: dict) -> None:
        """One target: status in words (icon and colour), actual against target and the trend in
        plain Danish, the council's words, and the years as a chart with a table."""
        with st.container(border=True):
            left, right = st.columns([3, 2])
            with left:
                icon, colour = STATUS_BADGES.get(row["status"], STATUS_BADGES[None])
                st.badge(STATUS_TEXT.get(row["status"], "Ingen data"), icon=icon, color=colour)
                st.markdown(f"**{row['label']}**")
                text = (
                    strategy.target_text(row) + " " + strategy.trend_text(row["key"], self.history)
                )
                st.markdown(text)
                if row.get("note"):
                    st.caption(f"Målet: {plain(row['note'])}")
            with right:
                axis, tip = charts.axis_format(row["unit"])
                chart = charts.by_year(
                    strategy.target_chart_data(self.history, row["key"]),
                    "year",
                    "value",
                    "series",
                    "År",
                    charts.UNIT_TITLES.get(row["unit"], "Antal"),
                    y_format=axis,
                    tooltip_format=tip,
                ).properties(height=160)
                chart_with_table(
                    chart,
                    strategy.target_table(self.history, row["key"], self.scopes),
                    f"strategi_maal_{row['key']}",
                    self.scope,
                    alt_text=f"{row['label']} år for år mod målet",
                )

    def staircase_section(self) -> None:
        st.header("Indsatstrappen")
        st.caption(STAIRCASE)
        kpi_row([*TRENDS, "citizens_active"], self.scope, columns=3)
        st.markdown(strategy.staircase_sentence(self.history, self.scopes))
        labels = strategy.step_labels(session.offer_types())
        years = [
            (
                s,
                session.kpi_values(["staircase_distribution"], s)["staircase_distribution"],
                session.aggregate("kpi_staircase", s),
            )
            for s in self.scopes
        ]
        steps = strategy.staircase_history(years, labels)
        chart_with_table(
            charts.staircase(steps),
            strategy.staircase_table(steps),
            "strategi_indsatstrappen",
            self.scope,
            alt_text="Fordeling af borgerne på indsatstrappens trin år for år",
        )
        st.subheader("Borgere pr. 1.000 18-64-årige år for år")
        chart_with_table(
            charts.by_year(
                strategy.history_lines(self.history, "citizens_per_1000"),
                "year",
                "value",
                "series",
                "År",
                "Pr. 1.000 18-64-årige",
                y_format=",.1f",
            ).properties(height=220),
            strategy.history_table(self.history, TRENDS, self.scopes),
            "strategi_udvikling",
            self.scope,
            alt_text="Borgere med aktiv bevilling pr. 1.000 18-64-årige år for år",
        )
