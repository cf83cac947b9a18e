"""The report's sections from the politiker-safe data (model.py gathers it through the gateway):
economy, political targets, the indsatstrappe, and the registry's other sections (contracts,
visitation and follow-up, progression with the adjustment signals), each with its tables and,
where the cockpit draws one, its chart. Sentences reuse cockpit/views, so the paper says what
the pages say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd

from cockpit.access.gateway import Gateway
from cockpit.downloads import Table
from cockpit.metrics import HEADLINE, KPIS, REGISTRY
from cockpit.periods import Scope
from cockpit.present import charts, fmt
from cockpit.present.labels import STATUS_TEXT
from cockpit.report.parts import Figure, Section
from cockpit.views import economy as econ_views
from cockpit.views import prices, strategy
from cockpit.views.common import num

TRENDS = ["botilbud_share", "citizens_per_1000"]
OTHER_SECTIONS = ("Kontrakter", "Visitation og opfølgning", "Progression")
TOP = 3  # offer types named in the Resumé


@dataclass
class Data:
    """Everything the sections read, gathered once through the politiker gateway."""

    gw: Gateway
    scope: Scope
    last: Scope
    names: dict[str, str]
    values: dict
    last_values: dict
    months: list[tuple[date, pd.DataFrame]]
    scopes: list[Scope]

    def __post_init__(self) -> None:
        self.types = econ_views.offer_type_table(econ_views.economy_month_ends(self.months))
        this_year, last_year = (
            self.gw.aggregate("econ_price_quantity", s) for s in (self.scope, self.last)
        )
        self.changes = prices.price_quantity(this_year, last_year, self.scope, self.last)
        status = self.values.get("target_status")
        self.targets = strategy.target_overview(
            status, self.gw.aggregate("kpi_strategy_targets", self.scope)
        )
        keys = [*self.targets["key"], *TRENDS]
        per_year = [(s, self.gw.kpi_values([*keys, "target_status"], s)) for s in self.scopes]
        self.history = strategy.kpi_history(per_year, keys)


def plain(text: str) -> str:
    """A view's markdown sentence as plain text (the report sets its own emphasis)."""
    return text.replace("**", "").strip()


# ---------------------------------------------------------------- Resumé


def _offer_type_line(d: Data, row: pd.Series) -> str:
    name = row["Indsatstype"]
    deviation = num(row[REGISTRY["forecast_deviation"].label])
    side = "over" if deviation > 0 else "under"
    text = f"{name}: forventet {fmt.money_compact(abs(deviation))} {side} budgettet."
    code = row["Kode"]
    found = d.changes[d.changes["offer_type_code"] == code]
    change = None if found.empty else num(found.iloc[0]["change"])
    if change is None:
        return text + (
            f" Ændringen mod samme periode {d.last.year} kan ikke vises, fordi færre end 5 "
            "borgere ligger bag."
        )
    r = found.iloc[0]
    way = "steget" if change > 0 else "faldet"
    return text + (
        f" Forbruget er {way} {fmt.money_compact(abs(change))} mod samme periode {d.last.year}; "
        f"{_effect(r['quantity_effect'], 'flere', 'færre', 'helårspersoner')} (mængde) og "
        f"{_effect(r['price_effect'], 'højere', 'lavere', 'udgift pr. helårsperson')} (pris)."
    )


def _effect(v: float, more: str, less: str, what: str) -> str:
    """'8,2 mio. kr. skyldes flere helårspersoner' (or 'færre ... trækker 1,0 mio. kr. ned')."""
    if v >= 0:
        return f"{fmt.money_compact(v)} skyldes {more} {what}"
    return f"{less} {what} trækker {fmt.money_compact(-v)} ned"


def top_deviations(d: Data) -> pd.DataFrame:
    """The offer types with the largest expected deviation from budget (either way)."""
    frame = d.types.frame
    deviation = frame[REGISTRY["forecast_deviation"].label]
    order = deviation.abs().dropna().sort_values(ascending=False).index
    return frame.loc[order[:TOP]]


def resume(d: Data) -> list[str]:
    """The Resumé in plain Danish: forecast against budget, the three offer types that deviate
    most (with price and quantity against last year), target status, the indsatstrappe."""
    lines = [plain(econ_views.economy_sentence(d.values, d.scope))]
    top = top_deviations(d)
    if not top.empty:
        lines.append("De indsatstyper, der afviger mest fra budgettet:")
        lines += [_offer_type_line(d, row) for _, row in top.iterrows()]
    lines.append("Politiske mål: " + strategy.target_summary(d.targets))
    stairs = strategy.staircase_sentence(d.history, d.scopes)
    if stairs:
        lines.append("Indsatstrappen: " + stairs)
    return lines


# ---------------------------------------------------------------- sections


def kpi_table(title: str, keys: list[str], d: Data) -> Table:
    """Registry KPIs this year and in the same period last year, as the role sees them."""
    keys = [k for k in keys if not isinstance(d.values.get(k), dict)]
    frame = pd.DataFrame(
        {
            "Nøgletal": [REGISTRY[k].label for k in keys],
            str(d.scope.year): [fmt.value(REGISTRY[k].unit, d.values.get(k)) for k in keys],
            f"Samme periode {d.last.year}": [
                fmt.value(REGISTRY[k].unit, d.last_values.get(k)) for k in keys
            ],
        }
    )
    return Table(title, frame, {c: "text-right" for c in frame.columns[1:]})


def economy(d: Data) -> Section:
    s = Section("Økonomi")
    s.paragraphs.append(plain(econ_views.economy_sentence(d.values, d.scope)))
    s.tables.append(kpi_table("Nøgletal for økonomien", list(HEADLINE), d))
    bars = econ_views.deviation_bars(d.types)
    if not bars.empty:
        chart = charts.long_labels(
            charts.bar(
                bars,
                "offer_type",
                "deviation_mio",
                "Indsatstype",
                "Forventet afvigelse, mio. kr. (positiv = merforbrug)",
                value_format=charts.MILLIONS_AXIS,
            )
        ).properties(width=300, height=22 * len(bars))
        s.figures.append(Figure(chart, "Forventet afvigelse fra budgettet pr. indsatstype"))
    types = d.types.frame.drop(columns=["Kode"])
    s.tables.append(Table("Forventet regnskab pr. indsatstype", types, d.types.units))
    summary = prices.price_quantity_summary(d.changes)
    s.paragraphs.append(
        plain(prices.price_quantity_sentence(summary, d.scope, d.last))
        + f" Opgjort for 1. januar – {fmt.long_date(d.scope.as_of)} begge år."
    )
    effects = prices.price_quantity_effects(d.changes, d.names)
    if not effects.empty:
        chart = charts.effects(
            effects, "offer_type", "amount_mio", "effect", "Indsatstype", "Mio. kr."
        )
        s.figures.append(
            Figure(chart, "Ændring i forbruget pr. indsatstype opdelt i mængde og pris")
        )
    pq = prices.price_quantity_table(d.changes, d.names, d.scope, d.last)
    keep = [c for c in pq.frame.columns if not c.startswith(("Helårspersoner", "Udgift"))]
    s.tables.append(Table("Pris og mængde", pq.frame[keep], pq.units))
    return s


def targets(d: Data) -> Section:
    s = Section("Politiske mål")
    s.paragraphs.append(strategy.target_summary(d.targets))
    rows = []
    for row in d.targets.to_dict("records"):
        text = strategy.target_text(row) + " " + strategy.trend_text(row["key"], d.history)
        s.paragraphs.append(f"{row['label']} ({STATUS_TEXT.get(row['status'])}): {text}")
        rows.append(
            {
                "Mål": row["label"],
                "Status": STATUS_TEXT.get(row["status"], "Ingen data"),
                "Faktisk": fmt.value(row["unit"], row["actual"]),
                "Målværdi": fmt.value(row["unit"], row["target"]),
            }
        )
    if rows:
        frame = pd.DataFrame(rows)
        s.tables.append(Table("Målene", frame, {"Faktisk": "text-right", "Målværdi": "text-right"}))
        s.figures.append(Figure(_target_chart(d), "Målene år for år: faktisk mod mål"))
    return s


def _target_chart(d: Data):
    parts = []
    for row in d.targets.to_dict("records"):
        data = strategy.target_chart_data(d.history, row["key"])
        axis, tip = charts.axis_format(row["unit"])
        chart = charts.by_year(
            data,
            "year",
            "value",
            "series",
            "År",
            charts.UNIT_TITLES.get(row["unit"], "Antal"),
            y_format=axis,
            tooltip_format=tip,
        ).properties(title=row["label"], width=200, height=110)
        parts.append(chart)
    rows = [parts[i : i + 2] for i in range(0, len(parts), 2)]
    shared = {"color": "shared", "shape": "shared", "strokeDash": "shared"}
    return alt.vconcat(*[alt.hconcat(*r) for r in rows]).resolve_scale(**shared)


def staircase(d: Data) -> Section:
    s = Section("Indsatstrappen")
    sentence = strategy.staircase_sentence(d.history, d.scopes)
    if sentence:
        s.paragraphs.append(sentence)
    labels = strategy.step_labels(d.gw.offer_types())
    years = [
        (
            sc,
            d.gw.kpi_values(["staircase_distribution"], sc)["staircase_distribution"],
            d.gw.aggregate("kpi_staircase", sc),
        )
        for sc in d.scopes
    ]
    steps = strategy.staircase_history(years, labels)
    if not steps.empty:
        s.figures.append(
            Figure(
                charts.staircase(steps).properties(width=420),
                "Fordeling af borgerne på indsatstrappens trin år for år",
            )
        )
        s.tables.append(strategy.staircase_table(steps))
    s.tables.append(strategy.history_table(d.history, TRENDS, d.scopes))
    return s


def registry_section(d: Data, title: str) -> Section:
    """A registry section (Kontrakter, Visitation og opfølgning, Progression) as a table of its
    KPIs this year and last year, aggregates only."""
    keys = [k.key for k in KPIS if k.section == title]
    s = Section(title)
    s.paragraphs.append(
        f"Nøgletallene for {title.lower()} pr. {fmt.long_date(d.scope.as_of)} mod samme dato "
        f"{d.last.year}. Definitionerne står i bilaget."
    )
    s.tables.append(kpi_table(title, keys, d))
    return s
