"""The KPI registry: every key figure of ../shared/spec/kpis.md, defined once (label, unit,
direction, Danish definition, query) and computed for a scope from the queries in queries/."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import pandas as pd

from cockpit import db
from cockpit.periods import Scope

Unit = Literal["kr.", "share", "count", "dage", "per 1.000", "status"]
Better = Literal["up", "down"] | None
Value = float | int | dict | None


class Computation:
    """Runs each query once per scope and memoises KPI values, so derived KPIs reuse their inputs."""

    def __init__(self, scope: Scope, url: str | None = None) -> None:
        self.scope = scope
        self.url = url
        self._frames: dict[str, pd.DataFrame] = {}
        self._values: dict[str, Value] = {}

    def frame(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = db.query(name, self.scope.params(), self.url)
        return self._frames[name]

    def value(self, key: str) -> Value:
        if key not in self._values:
            self._values[key] = REGISTRY[key].compute(self)
        return self._values[key]


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    unit: Unit
    better: Better
    definition: str
    section: str
    query: str
    compute: Callable[[Computation], Value] = field(repr=False, compare=False)


def _clean(v: object) -> float | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    return float(v)


def _first(query: str, column: str = "value") -> Callable[[Computation], Value]:
    def compute(c: Computation) -> Value:
        df = c.frame(query)
        return None if df.empty else _clean(df[column].iloc[0])

    return compute


def _total(query: str, column: str) -> Callable[[Computation], Value]:
    def compute(c: Computation) -> Value:
        return _clean(c.frame(query)[column].sum(min_count=1))

    return compute


def _ratio(numerator: Value, denominator: Value, factor: float = 1.0) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator * factor


def _population(c: Computation) -> float | None:
    df = c.frame("kpi_population")
    if df.empty:
        return None
    return _clean(df["persons_18_64"].iloc[0]) or _clean(df["persons_all"].iloc[0])


def _unit_cost(c: Computation) -> dict:
    df = c.frame("kpi_unit_cost")
    return {str(k): _clean(v) for k, v in zip(df["key"], df["value"], strict=True)}


def _staircase(c: Computation) -> dict:
    df = c.frame("kpi_staircase")
    total = df["citizens"].sum()
    return {
        str(int(s)): _ratio(float(n), total)
        for s, n in zip(df["step"], df["citizens"], strict=True)
    }


def _botilbud_share(c: Computation) -> Value:
    df = c.frame("kpi_staircase")
    return _ratio(_clean(df["botilbud_citizens"].sum()), df["citizens"].sum())


STATUS_TOLERANCE = 0.05


def status(actual: float | None, target: float, better: Better) -> str | None:
    """green when the target is met in the KPI's better direction, yellow when missed by at most
    5 % of the target, red otherwise; None when there is no actual value to judge."""
    if actual is None:
        return None
    close = abs(actual - target) <= STATUS_TOLERANCE * abs(target)
    if better == "up":
        met = actual >= target
    elif better == "down":
        met = actual <= target
    else:
        met = close
    if met:
        return "green"
    return "yellow" if close else "red"


def _target_status(c: Computation) -> dict:
    out = {}
    for row in c.frame("kpi_strategy_targets").itertuples():
        kpi = REGISTRY.get(row.kpi_key)
        if kpi is None or kpi.unit == "status":
            continue
        actual = c.value(kpi.key)
        if isinstance(actual, dict):
            continue
        target = float(row.target_value)
        out[kpi.key] = {
            "actual": actual,
            "target": target,
            "status": status(actual, target, kpi.better),
        }
    return out


_ECON = "kpi_economy_by_offer_type"

KPIS: tuple[Kpi, ...] = (
    # Økonomi
    Kpi(
        "spend_ytd",
        "Forbrug år til dato",
        "kr.",
        None,
        "Summen af bogførte udgifter fra 1. januar til opgørelsesdatoen.",
        "Økonomi",
        _ECON,
        _total(_ECON, "spend_ytd_dkk"),
    ),
    Kpi(
        "budget_corrected",
        "Korrigeret budget",
        "kr.",
        None,
        "Årets korrigerede budget (vedtaget budget plus tillægsbevillinger), summen over indsatstyper.",
        "Økonomi",
        _ECON,
        _total(_ECON, "budget_corrected_dkk"),
    ),
    Kpi(
        "forecast_year_end",
        "Forventet regnskab",
        "kr.",
        "down",
        "Forbrug år til dato plus hver aktiv bevillings månedspris × 12 / årets dage for de resterende "
        "dage af året, hvor bevillingen er aktiv, plus udgifter uden bevilling fremskrevet efter "
        "årets forløbne dage. Individbaseret: hver borgers bevillinger driver prognosen.",
        "Økonomi",
        _ECON,
        _total(_ECON, "forecast_dkk"),
    ),
    Kpi(
        "forecast_deviation",
        "Forventet afvigelse",
        "kr.",
        "down",
        "Forventet regnskab minus korrigeret budget (positiv = merforbrug).",
        "Økonomi",
        _ECON,
        lambda c: (
            None
            if c.value("forecast_year_end") is None or c.value("budget_corrected") is None
            else c.value("forecast_year_end") - c.value("budget_corrected")
        ),
    ),
    Kpi(
        "forecast_deviation_pct",
        "Forventet afvigelse i procent",
        "share",
        "down",
        "Forventet afvigelse divideret med korrigeret budget.",
        "Økonomi",
        _ECON,
        lambda c: _ratio(c.value("forecast_deviation"), c.value("budget_corrected")),
    ),
    Kpi(
        "unit_cost",
        "Udgift pr. helårsperson",
        "kr.",
        "down",
        "Pr. indsatstype: udgifter år til dato divideret med bevillingernes aktive dage i samme "
        "periode, ganget med årets dage.",
        "Økonomi",
        "kpi_unit_cost",
        _unit_cost,
    ),
    Kpi(
        "external_share",
        "Andel af udgiften til eksterne tilbud",
        "share",
        None,
        "Udgifter år til dato på tilbud, kommunen ikke selv driver, divideret med alle udgifter år "
        "til dato, der er knyttet til et tilbud.",
        "Økonomi",
        "kpi_external_share",
        _first("kpi_external_share"),
    ),
    Kpi(
        "expensive_citizens",
        "Borgere med årlig udgift over 2 mio. kr.",
        "count",
        "down",
        "Borgere, hvis aktive bevillinger på opgørelsesdatoen tilsammen koster over 2 mio. kr. om "
        "året (månedspris × 12).",
        "Økonomi",
        "kpi_expensive_citizens",
        _first("kpi_expensive_citizens"),
    ),
    Kpi(
        "top20_share",
        "De dyreste 20 %'s andel af udgiften",
        "share",
        None,
        "Udgifter år til dato knyttet til en borger: de 20 % dyreste borgeres andel af det samlede "
        "beløb.",
        "Økonomi",
        "kpi_top20_share",
        _first("kpi_top20_share"),
    ),
    Kpi(
        "spend_per_inhabitant",
        "Forventet udgift pr. 18-64-årig",
        "kr.",
        "down",
        "Forventet regnskab divideret med antallet af 18-64-årige i kommunen 1. januar (alle "
        "indbyggere, hvis aldersfordelingen mangler).",
        "Økonomi",
        "kpi_population",
        lambda c: _ratio(c.value("forecast_year_end"), _population(c)),
    ),
    # Kontrakter
    Kpi(
        "contract_coverage",
        "Kontraktdækning, eksterne køb",
        "share",
        "up",
        "Andelen af aktive bevillinger på eksterne tilbud, der har en gyldig kontrakt på "
        "opgørelsesdatoen.",
        "Kontrakter",
        "kpi_contract_coverage",
        _first("kpi_contract_coverage", "contract_coverage"),
    ),
    Kpi(
        "contract_coverage_value",
        "Kontraktdækning vægtet med pris",
        "share",
        "up",
        "Som kontraktdækningen, men hver bevilling vægtet med sin månedspris.",
        "Kontrakter",
        "kpi_contract_coverage",
        _first("kpi_contract_coverage", "contract_coverage_value"),
    ),
    Kpi(
        "contracts_with_goals",
        "Kontrakter med mål og progression",
        "share",
        "up",
        "Andelen af gyldige kontrakter på opgørelsesdatoen, der har et bilag med mål og forventet "
        "progression.",
        "Kontrakter",
        "kpi_contracts",
        _first("kpi_contracts", "contracts_with_goals"),
    ),
    Kpi(
        "contracts_to_renegotiate",
        "Kontrakter til genforhandling inden 90 dage",
        "count",
        None,
        "Gyldige kontrakter, hvis aftalte genforhandlingsdato ligger senest 90 dage efter "
        "opgørelsesdatoen (også overskredne).",
        "Kontrakter",
        "kpi_contracts",
        lambda c: _first("kpi_contracts", "contracts_to_renegotiate")(c) or 0.0,
    ),
    # Visitation og opfølgning
    Kpi(
        "citizens_active",
        "Borgere med aktiv bevilling",
        "count",
        None,
        "Antal forskellige borgere med mindst én aktiv bevilling på opgørelsesdatoen.",
        "Visitation og opfølgning",
        "kpi_citizens_active",
        _first("kpi_citizens_active"),
    ),
    Kpi(
        "decisions",
        "Afgørelser år til dato",
        "count",
        None,
        "Antal visitationsafgørelser truffet fra 1. januar til opgørelsesdatoen.",
        "Visitation og opfølgning",
        "kpi_decisions",
        _first("kpi_decisions", "decisions"),
    ),
    Kpi(
        "approval_rate",
        "Bevillingsprocent, nye ansøgninger",
        "share",
        None,
        "Nye ansøgninger bevilget år til dato divideret med nye ansøgninger bevilget eller afslået.",
        "Visitation og opfølgning",
        "kpi_decisions",
        _first("kpi_decisions", "approval_rate"),
    ),
    Kpi(
        "committee_share_housing",
        "Boligafgørelser truffet i visitationsudvalg",
        "share",
        "up",
        "Andelen af årets afgørelser om botilbud og andre boligindsatser, der er truffet i "
        "visitationsudvalget.",
        "Visitation og opfølgning",
        "kpi_decisions",
        _first("kpi_decisions", "committee_share_housing"),
    ),
    Kpi(
        "processing_days_median",
        "Sagsbehandlingstid, median",
        "dage",
        "down",
        "Medianen af dage fra ansøgning til afgørelse for årets afgørelser om nye ansøgninger.",
        "Visitation og opfølgning",
        "kpi_decisions",
        _first("kpi_decisions", "processing_days_median"),
    ),
    Kpi(
        "revisitation_coverage",
        "Sager fulgt op inden for 2 år",
        "share",
        "up",
        "Blandt aktive bevillinger, der er mindst 2 år gamle: andelen, der er fulgt op eller "
        "revisiteret inden for de seneste 2 år.",
        "Visitation og opfølgning",
        "kpi_revisitation_coverage",
        _first("kpi_revisitation_coverage"),
    ),
    Kpi(
        "followups_overdue",
        "Opfølgninger over tid",
        "count",
        "down",
        "Aktive bevillinger, hvis planlagte opfølgningsdato er passeret, uden at der er fulgt op.",
        "Visitation og opfølgning",
        "kpi_followups_overdue",
        _first("kpi_followups_overdue"),
    ),
    # Progression
    Kpi(
        "progression_share",
        "Fremgang i funktionsniveau",
        "share",
        "up",
        "Blandt borger-temaer vurderet mindst to gange det seneste år: andelen, hvor seneste "
        "funktionsniveau er bedre (lavere) end det første.",
        "Progression",
        "kpi_progression",
        _first("kpi_progression", "progression_share"),
    ),
    Kpi(
        "decline_share",
        "Tilbagegang i funktionsniveau",
        "share",
        "down",
        "Samme borger-temaer: andelen, hvor seneste funktionsniveau er dårligere (højere) end det "
        "første.",
        "Progression",
        "kpi_progression",
        _first("kpi_progression", "decline_share"),
    ),
    Kpi(
        "goal_attainment",
        "Mål nået",
        "share",
        "up",
        "Mål med tidshorisont i år til dato: andelen, hvor seneste vurdering viser, at målet er nået "
        "(udvikle og begrænse tab: målniveauet; fastholde: udgangsniveauet).",
        "Progression",
        "kpi_goal_attainment",
        _first("kpi_goal_attainment"),
    ),
    Kpi(
        "goals_with_horizon",
        "Bevillinger med tidsfastsatte mål",
        "share",
        "up",
        "Andelen af aktive bevillinger, der har mindst ét mål med en tidshorisont.",
        "Progression",
        "kpi_goals_with_horizon",
        _first("kpi_goals_with_horizon"),
    ),
    Kpi(
        "early_help_within_6m",
        "Forebyggende forløb afsluttet inden for 6 måneder",
        "share",
        "up",
        "Forløb efter SEL § 82 a-b afsluttet i år til dato: andelen, der varede højst 183 dage.",
        "Progression",
        "kpi_early_help",
        _first("kpi_early_help"),
    ),
    Kpi(
        "adjustment_signals",
        "Tilpasningssignaler",
        "count",
        None,
        "Aktive bevillinger, hvor borgeren nåede et udviklingsmål for mindst 90 dage siden, uden at "
        "der siden er truffet afgørelse om ændring, revisitation eller ophør.",
        "Progression",
        "kpi_adjustment_signals",
        _first("kpi_adjustment_signals"),
    ),
    # Strategi
    Kpi(
        "botilbud_share",
        "Andel af borgerne på trappen, der bor i botilbud",
        "share",
        "down",
        "Blandt borgere med en aktiv indsats på indsatstrappen: andelen, hvis højeste trin er "
        "midlertidigt eller længerevarende botilbud (SEL § 107 eller § 108).",
        "Strategi",
        "kpi_staircase",
        _botilbud_share,
    ),
    Kpi(
        "staircase_distribution",
        "Fordeling på indsatstrappen",
        "share",
        None,
        "Borgere med en aktiv indsats på indsatstrappen fordelt efter deres højeste trin.",
        "Strategi",
        "kpi_staircase",
        _staircase,
    ),
    Kpi(
        "citizens_per_1000",
        "Borgere pr. 1.000 18-64-årige",
        "per 1.000",
        None,
        "Borgere med aktiv bevilling pr. 1.000 18-64-årige indbyggere (alle indbyggere, hvis "
        "aldersfordelingen mangler).",
        "Strategi",
        "kpi_population",
        lambda c: _ratio(c.value("citizens_active"), _population(c), 1000),
    ),
    Kpi(
        "target_status",
        "Status på politiske mål",
        "status",
        None,
        "For hvert politisk mål: årets faktiske værdi mod målet. Grøn: nået; gul: misset med højst "
        "5 % af målet; rød: misset med mere.",
        "Strategi",
        "kpi_strategy_targets",
        _target_status,
    ),
)

REGISTRY: dict[str, Kpi] = {k.key: k for k in KPIS}


def compute(keys: Iterable[str] | None, scope: Scope, url: str | None = None) -> dict[str, Value]:
    """The value of each KPI key for the scope (all keys when `keys` is None)."""
    c = Computation(scope, url)
    return {key: c.value(key) for key in (keys if keys is not None else REGISTRY)}


def default_as_of(municipality: int, year: int, url: str | None = None) -> date:
    """The latest posting date of the year; 31 December for a closed year or one without postings."""
    df = db.query("scope_latest_posting", {"municipality": municipality, "year": year}, url)
    latest, latest_year = df["latest_in_year"].iloc[0], df["latest_year"].iloc[0]
    if latest is None or pd.isna(latest) or (latest_year is not None and latest_year > year):
        return date(year, 12, 31)
    return pd.Timestamp(latest).date()


# ---------------------------------------------------------------- citizen basis (privacy)

# How many distinct citizens lie behind each KPI's value, for small-number suppression
# (cockpit/suppress.py): a column of queries/basis_kpi_citizens.sql; VALUE when the KPI is itself a
# count of citizens (or of their grants, decisions or contracts, which are at most as many);
# OFFER_TYPE / STAIRCASE for the KPIs keyed by offer type / staircase step; DERIVED for
# target_status (follows each target KPI); None when no citizen lies behind the number (the budget).
BASIS_QUERY = "basis_kpi_citizens"
VALUE, OFFER_TYPE, STAIRCASE, DERIVED = "=value", "=offer_type", "=staircase", "=derived"
CITIZEN_BASIS: dict[str, str | None] = {
    "spend_ytd": "economy_citizens",
    "budget_corrected": None,
    "forecast_year_end": "economy_citizens",
    "forecast_deviation": "economy_citizens",
    "forecast_deviation_pct": "economy_citizens",
    "unit_cost": OFFER_TYPE,
    "external_share": "external_spend_citizens",
    "expensive_citizens": VALUE,
    "top20_share": "spend_citizens",
    "spend_per_inhabitant": "economy_citizens",
    "contract_coverage": "external_active_citizens",
    "contract_coverage_value": "external_active_citizens",
    "contracts_with_goals": "contract_citizens",
    "contracts_to_renegotiate": VALUE,
    "citizens_active": VALUE,
    "decisions": "decision_citizens",
    "approval_rate": "decided_new_citizens",
    "committee_share_housing": "housing_decision_citizens",
    "processing_days_median": "new_decision_citizens",
    "revisitation_coverage": "old_grant_citizens",
    "followups_overdue": VALUE,
    "progression_share": "progression_citizens",
    "decline_share": "progression_citizens",
    "goal_attainment": "goal_citizens",
    "goals_with_horizon": "active_citizens",
    "early_help_within_6m": "early_help_citizens",
    "adjustment_signals": VALUE,
    "botilbud_share": STAIRCASE,
    "staircase_distribution": STAIRCASE,
    "citizens_per_1000": "active_citizens",
    "target_status": DERIVED,
}


def citizen_basis(keys: Iterable[str] | None, scope: Scope, url: str | None = None) -> dict:
    """Per KPI key: the number of citizens behind its value (an int), a dict of them per offer type
    or staircase step, VALUE (the value is the count), DERIVED, or None (no citizens behind it)."""
    c = Computation(scope, url)
    out: dict = {}
    for key in keys if keys is not None else REGISTRY:
        basis = CITIZEN_BASIS[key]
        if basis == OFFER_TYPE:
            df = c.frame("basis_offer_type_citizens")
            out[key] = {
                str(k): int(n) for k, n in zip(df["offer_type_code"], df["citizens"], strict=True)
            }
        elif basis == STAIRCASE:
            df = c.frame("kpi_staircase")
            steps = {str(int(s)): int(n) for s, n in zip(df["step"], df["citizens"], strict=True)}
            if key == "staircase_distribution":
                out[key] = steps
            else:
                # A share of citizens in botilbud also reveals a small number in the numerator.
                botilbud = int(df["botilbud_citizens"].sum())
                out[key] = min(sum(steps.values()), botilbud) if botilbud else sum(steps.values())
        elif basis is None or basis in (VALUE, DERIVED):
            out[key] = basis
        else:
            out[key] = int(c.frame(BASIS_QUERY)[basis].iloc[0])
    return out
