"""What the report says, independent of the file format: front page, Resumé, sections (each with
text, charts and tables) and the annex. Every figure comes through the access gateway for a
politiker principal, so the report holds exactly what a politician may see: aggregates with
small numbers suppressed, never a citizen pseudonym."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from cockpit.access.gateway import Gateway, open_for
from cockpit.auth import Principal
from cockpit.metrics import HEADLINE, REGISTRY
from cockpit.periods import Scope, last_year_same_period, month_scopes, year_scopes
from cockpit.present import fmt
from cockpit.report import sections
from cockpit.report.parts import Section

ROLE = "politiker"  # the report is the committee's paper: what the politiker role gets
USER = "udvalgsrapport"


@dataclass
class Report:
    """The whole paper: front page facts, the Resumé, the sections and the annex."""

    title: str
    municipality: str
    period: str
    as_of: date
    headline: list[tuple[str, str]]  # the headline KPIs, label and Danish-formatted value
    resume: list[str]
    sections: list[Section]
    definitions: list[tuple[str, str]]
    freshness: str
    source: str


def politician_gateway(url: str | None = None, page: str = "udvalgsrapport") -> Gateway:
    """The gateway the report reads through: a politiker principal (aggregates, suppressed)."""
    return open_for(Principal(USER, ROLE), url, page=page)


def municipality_name(gw: Gateway, municipality: int) -> str:
    options = gw.scope_options()
    names = options.loc[options["municipality_code"] == municipality, "name"]
    return str(names.iloc[0]) if len(names) else f"Kommune {municipality}"


def _years(gw: Gateway, municipality: int) -> list[int]:
    options = gw.scope_options()
    return sorted(options.loc[options["municipality_code"] == municipality, "year"].astype(int))


def headline(values: dict) -> list[tuple[str, str]]:
    """The headline economy KPIs as the report prints them (label, Danish value)."""
    return [(REGISTRY[k].label, fmt.value(REGISTRY[k].unit, values.get(k))) for k in HEADLINE]


def _freshness(gw: Gateway, scope: Scope) -> str:
    loads = gw.data_load(scope.municipality)
    newest = pd.to_datetime(loads["data_date"]).max() if not loads.empty else pd.NaT
    if pd.isna(newest):
        return "Der er ingen oplysninger om, hvornår data sidst blev indlæst."
    return (
        f"Data er indlæst til og med {fmt.long_date(newest.date())}. Tallene er opgjort pr. "
        f"{fmt.long_date(scope.as_of)}."
    )


def build(scope: Scope, url: str | None = None, gw: Gateway | None = None) -> Report:
    """The report for one municipality and reference date, read as the politiker role."""
    gw = gw or politician_gateway(url)
    name = municipality_name(gw, scope.municipality)
    names = dict(zip(*[gw.offer_types()[c] for c in ("offer_type_code", "name")], strict=True))
    values = gw.kpi_values(list(REGISTRY), scope)
    last = last_year_same_period(scope)
    data = sections.Data(
        gw=gw,
        scope=scope,
        last=last,
        names=names,
        values=values,
        last_values=gw.kpi_values(list(REGISTRY), last),
        months=[
            (s.as_of, gw.aggregate("kpi_economy_by_offer_type", s)) for s in month_scopes(scope)
        ],
        scopes=year_scopes(scope, _years(gw, scope.municipality)),
    )
    built = [
        sections.economy(data),
        sections.targets(data),
        sections.staircase(data),
        *[sections.registry_section(data, title) for title in sections.OTHER_SECTIONS],
    ]
    period = f"1. januar – {fmt.long_date(scope.as_of)}"
    return Report(
        title=f"Budgetopfølgning og strategistatus – {name}, {fmt.long_date(scope.as_of)}",
        municipality=name,
        period=period,
        as_of=scope.as_of,
        headline=headline(values),
        resume=sections.resume(data),
        sections=built,
        definitions=[(k.label, k.definition) for k in REGISTRY.values()],
        freshness=_freshness(gw, scope),
        source=(
            f"Kilde: Styringscockpit for det specialiserede voksenområde, {name}: kommunens egne "
            "data fra økonomi- og fagsystemet. Tal med færre end 5 borgere bag er skjult (vist som "
            "»<5« eller »–«)."
        ),
    )
