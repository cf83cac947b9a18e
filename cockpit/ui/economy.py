"""The Økonomi page's sections (pages/oekonomi.py) and the Strategi page's economy: where the
year will end, through the year, per offer type and account function, since when, price and
quantity, own and external purchase and the most expensive citizens. The figures come through the
gateway (registry values, for one offer type when the filter is set); the tables and sentences
from cockpit/views/economy.py and cockpit/views/prices.py."""

from __future__ import annotations

from functools import cached_property

import pandas as pd
import streamlit as st

from cockpit.metrics import ECON, HEADLINE
from cockpit.periods import Scope, last_year_closed, last_year_same_period, month_scopes
from cockpit.present import charts
from cockpit.ui import session
from cockpit.ui.frame import plain
from cockpit.ui.widgets import chart, chart_with_table, kpi_row, table
from cockpit.views import economy, prices
from cockpit.views.common import metric, of_type

YEAR_CURVE = (
    "Faktisk forbrug er bogført forbrug fra 1. januar til hver månedsafslutning. Periodiseret "
    "budget er det korrigerede budget fordelt jævnt over årets dage (budget × dagens nummer i året "
    "/ årets dage). Forventet forbrug fortsætter fra opgørelsesdatoen med hver aktiv bevillings "
    "månedspris for de dage, den er aktiv, plus udgifter uden bevilling fremskrevet; i december "
    "rammer den det forventede regnskab."
)
WHERE = (
    "Sorteret efter forventet afvigelse, største merforbrug først. »Merforbrug forventet siden« er "
    "den første månedsafslutning i den ubrudte række af måneder, hvor prognosen har ligget over "
    "budgettet."
)
SINCE_WHEN = (
    "Forventet regnskab beregnet, som om hver månedsafslutning var opgørelsesdatoen. Beregningen "
    "bruger de data, der ligger i dag: en bevilling registreret med tilbagevirkende kraft tæller "
    "også med i de tidligere måneder."
)
PRICE_QUANTITY = (
    "Samme periode begge år (1. januar til opgørelsesdatoen). Helårspersoner = bevillingernes "
    "aktive dage i perioden / årets dage. Udgift pr. helårsperson = forbruget / helårspersoner. "
    "Ændringen i forbruget deles op som ændringen i helårspersoner × sidste års udgift pr. "
    "helårsperson (mængde) plus ændringen i udgift pr. helårsperson × årets helårspersoner (pris); "
    "de to dele summer præcis til ændringen."
)
EXPENSIVE = (
    "Tallene gælder alle indsatstyper. Listen over de enkelte borgere ligger i den socialfaglige "
    "leders visning (siden Borger)."
)


class Economy:
    """The economy of one scope, for all offer types or one; each figure is gathered once."""

    def __init__(self, scope: Scope, offer_type: str | None) -> None:
        self.scope = scope
        self.offer_type = offer_type
        self.names = session.offer_type_names()
        chosen = self.names[offer_type] if offer_type else "alle indsatstyper"
        self.notes = {"Indsatstype": chosen}

    @cached_property
    def values(self) -> dict:
        return session.kpi_values(list(HEADLINE), self.scope, self.offer_type)

    @cached_property
    def by_month(self) -> pd.DataFrame:
        return economy.forecast_by_month(
            (s.as_of, session.kpi_values(economy.TOTALS, s, self.offer_type))
            for s in month_scopes(self.scope)
        )

    @cached_property
    def month_frame(self) -> pd.DataFrame:
        """kpi_economy_by_offer_type at every month end, cut to the offer type when one is set."""
        frames = ((s.as_of, session.aggregate(ECON, s)) for s in month_scopes(self.scope))
        return economy.economy_month_ends(frames)

    def growth(self) -> float | None:
        last = session.kpi_values(["spend_ytd"], last_year_closed(self.scope), self.offer_type)
        return economy.growth(self.values["forecast_year_end"], last["spend_ytd"])

    # ------------------------------------------------------------ sections

    def headline(self) -> None:
        since = economy.since_of(self.by_month)
        st.markdown(economy.economy_sentence(self.values, self.scope, since))
        keys = ["forecast_year_end", "budget_corrected", "forecast_deviation"]
        kpi_row([*keys, "forecast_deviation_pct"], self.scope, offer_type=self.offer_type)
        kpi_row(["spend_ytd", "spend_per_inhabitant"], self.scope, offer_type=self.offer_type)

    def strategy_headline(self) -> None:
        """Strategi's economy: the sentence, four KPIs and the growth against last year."""
        st.header("Økonomi")
        if self.offer_type:
            st.caption(
                f"Økonomitallene gælder {plain(self.names[self.offer_type])}. Mål og indsatstrappe "
                "gælder hele området."
            )
        st.markdown(economy.economy_sentence(self.values, self.scope))
        keys = ["forecast_year_end", "budget_corrected", "forecast_deviation"]
        growth = metric("growth", self.growth())
        kpi_row(
            [*keys, "spend_per_inhabitant"],
            self.scope,
            3,
            offer_type=self.offer_type,
            extra=[growth],
        )

    def year_curve(self) -> None:
        st.header("Forbrug, budget og prognose gennem året")
        st.caption(YEAR_CURVE)
        path = session.aggregate("econ_forecast_path", self.scope, offer_type=self.offer_type or "")
        curve = economy.cumulative(self.scope, self.by_month, path)
        chart_with_table(
            charts.month_lines(
                curve, "date", "amount_mio", "series", "Måned", "Mio. kr. (akkumuleret)"
            ),
            economy.cumulative_table(curve),
            "oekonomi_forbrug_gennem_aaret",
            self.scope,
            alt_text="Akkumuleret faktisk forbrug, periodiseret budget og forventet forbrug",
            notes=self.notes,
        )

    def where(self) -> None:
        st.header("Hvor ender vi – pr. indsatstype")
        st.caption(WHERE)
        months = of_type(self.month_frame, self.offer_type)
        types = economy.offer_type_table(months)
        if self.offer_type is None:
            chart(
                charts.long_labels(
                    charts.bar(
                        economy.deviation_bars(types),
                        "offer_type",
                        "deviation_mio",
                        "Indsatstype",
                        "Forventet afvigelse, mio. kr. (positiv = merforbrug)",
                        value_format=charts.MILLIONS_AXIS,
                    )
                ),
                width="stretch",
                alt="Forventet afvigelse pr. indsatstype",
            )
        table(types, "oekonomi_indsatstyper", self.scope, self.notes)
        if self.offer_type is None:
            st.subheader("Pr. kontofunktion")
            functions = economy.account_function_table(self.month_frame)
            table(functions, "oekonomi_kontofunktioner", self.scope, self.notes)

    def since_when(self) -> None:
        st.header("Hvornår vidste vi det? Prognosen måned for måned")
        st.caption(SINCE_WHEN)
        chart_with_table(
            charts.month_lines(
                economy.forecast_lines(self.by_month),
                "date",
                "amount_mio",
                "series",
                "Opgjort ved udgangen af",
                "Mio. kr.",
                zero=False,
            ),
            economy.forecast_movement_table(self.by_month),
            "oekonomi_prognose_pr_maaned",
            self.scope,
            alt_text="Forventet regnskab og korrigeret budget ved hver månedsafslutning",
            notes=self.notes,
        )
        st.subheader("Forventet afvigelse pr. indsatstype ved hver månedsafslutning")
        table(
            economy.deviation_by_month_table(
                of_type(self.month_frame, self.offer_type), self.names
            ),
            "oekonomi_afvigelse_pr_maaned",
            self.scope,
            self.notes,
        )

    def price_and_quantity(self) -> None:
        last = last_year_same_period(self.scope)
        st.header(f"Pris og mængde: {self.scope.year} mod {last.year}")
        this_year, last_year = (
            of_type(session.aggregate("econ_price_quantity", s), self.offer_type)
            for s in (self.scope, last)
        )
        changes = prices.price_quantity(this_year, last_year, self.scope, last)
        summary = prices.price_quantity_summary(changes)
        st.markdown(prices.price_quantity_sentence(summary, self.scope, last))
        st.caption(PRICE_QUANTITY)
        chart_with_table(
            charts.effects(
                prices.price_quantity_effects(changes, self.names),
                "offer_type",
                "amount_mio",
                "effect",
                "Indsatstype",
                "Mio. kr.",
            ),
            prices.price_quantity_table(changes, self.names, self.scope, last),
            "oekonomi_pris_og_maengde",
            self.scope,
            alt_text="Ændring i forbruget pr. indsatstype opdelt i mængde og pris",
            notes=self.notes,
        )

    def own_and_external(self) -> None:
        st.header("Eget og eksternt køb")
        if self.offer_type is None:
            kpi_row(["external_share"], self.scope, columns=2)
        by_owner = session.aggregate(
            "econ_spend_by_owner", self.scope, offer_type=self.offer_type or ""
        )
        owners = prices.owner_table(by_owner)
        chart_with_table(
            _bars(prices.owner_bars(owners), "owner", "Ejerform"),
            owners,
            "oekonomi_ejerform",
            self.scope,
            alt_text="Forbrug år til dato efter tilbuddenes ejerform",
            notes=self.notes,
        )
        st.subheader("Største tilbud")
        providers = prices.provider_table(
            session.aggregate("econ_spend_by_provider", self.scope), self.names, self.offer_type
        )
        chart_with_table(
            _bars(prices.provider_bars(providers), "provider", "Tilbud (indsatstype)", 420),
            providers,
            "oekonomi_tilbud",
            self.scope,
            alt_text="De 15 tilbud med det største forbrug år til dato",
            notes=self.notes,
        )

    def expensive(self) -> None:
        st.header("De dyreste borgere")
        kpi_row(["expensive_citizens", "top20_share"], self.scope, columns=2)
        st.caption(EXPENSIVE)


def _bars(df: pd.DataFrame, category: str, title: str, limit: int = 320):
    return charts.long_labels(
        charts.bar(
            df,
            category,
            "spend_mio",
            title,
            "Forbrug år til dato, mio. kr.",
            value_format=charts.MILLIONS_AXIS,
        ),
        limit=limit,
    )
