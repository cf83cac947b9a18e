"""The registry: every key figure of the KPI catalogue (kpis --json prints each key), defined once
with keyword fields, and the measures the pages show beside them (growth, one offer's or one
citizen's figures) with their labels and help texts. Data, not logic: the computations are in
cockpit/metrics/compute.py, the SQL in queries/<query>.sql."""

from __future__ import annotations

from cockpit.metrics.compute import (
    botilbud_share,
    by_key,
    difference,
    dimension_share,
    econ_total,
    first,
    population,
    ratio,
    staircase,
    target_status,
)
from cockpit.metrics.kpi import DERIVED, OFFER_TYPE, STAIRCASE, VALUE, Kpi, Measure

KPIS: tuple[Kpi, ...] = (
    # Økonomi
    Kpi(
        key="spend_ytd",
        label="Forbrug år til dato",
        unit="kr.",
        definition="Summen af bogførte udgifter fra 1. januar til opgørelsesdatoen.",
        better=None,
        query="kpi_economy_by_offer_type",
        citizen_basis="economy_citizens",
        needs=("expense",),
        section="Økonomi",
        compute=econ_total("spend_ytd_dkk"),
        by_offer_type=True,
    ),
    Kpi(
        key="budget_corrected",
        label="Korrigeret budget",
        unit="kr.",
        definition=(
            "Årets korrigerede budget (vedtaget budget plus tillægsbevillinger), summen over "
            "indsatstyper."
        ),
        better=None,
        query="kpi_economy_by_offer_type",
        citizen_basis=None,
        needs=("budget",),
        section="Økonomi",
        compute=econ_total("budget_corrected_dkk"),
        by_offer_type=True,
    ),
    Kpi(
        key="forecast_year_end",
        label="Forventet regnskab",
        unit="kr.",
        definition=(
            "Forbrug år til dato plus hver aktiv bevillings månedspris × 12 / årets dage for de "
            "resterende dage af året, hvor bevillingen er aktiv, plus udgifter uden bevilling "
            "fremskrevet efter årets forløbne dage. Individbaseret: hver borgers bevillinger "
            "driver prognosen."
        ),
        better="down",
        query="kpi_economy_by_offer_type",
        citizen_basis="economy_citizens",
        needs=("expense", "grant"),
        section="Økonomi",
        compute=econ_total("forecast_dkk"),
        by_offer_type=True,
    ),
    Kpi(
        key="forecast_deviation",
        label="Forventet afvigelse",
        unit="kr.",
        definition="Forventet regnskab minus korrigeret budget (positiv = merforbrug).",
        better="down",
        query="kpi_economy_by_offer_type",
        citizen_basis="economy_citizens",
        needs=("expense", "budget", "grant"),
        section="Økonomi",
        compute=difference("forecast_year_end", "budget_corrected"),
        by_offer_type=True,
    ),
    Kpi(
        key="forecast_deviation_pct",
        label="Forventet afvigelse i procent",
        unit="share",
        definition="Forventet afvigelse divideret med korrigeret budget.",
        better="down",
        query="kpi_economy_by_offer_type",
        citizen_basis="economy_citizens",
        needs=("expense", "budget", "grant"),
        section="Økonomi",
        compute=lambda c: ratio(c.value("forecast_deviation"), c.value("budget_corrected")),
        by_offer_type=True,
    ),
    Kpi(
        key="unit_cost",
        label="Udgift pr. helårsperson",
        unit="kr.",
        definition=(
            "Pr. indsatstype: udgifter år til dato divideret med bevillingernes aktive dage i "
            "samme periode, ganget med årets dage."
        ),
        better="down",
        query="kpi_unit_cost",
        citizen_basis=OFFER_TYPE,
        needs=("expense", "grant"),
        section="Økonomi",
        compute=by_key("kpi_unit_cost"),
    ),
    Kpi(
        key="external_share",
        label="Andel af udgiften til eksterne tilbud",
        unit="share",
        definition=(
            "Udgifter år til dato på tilbud, kommunen ikke selv driver, divideret med alle "
            "udgifter år til dato, der er knyttet til et tilbud."
        ),
        better=None,
        query="kpi_external_share",
        citizen_basis="external_spend_citizens",
        needs=("expense", "offer"),
        section="Økonomi",
        compute=first("kpi_external_share"),
    ),
    Kpi(
        key="expensive_citizens",
        label="Borgere med årlig udgift over 2 mio. kr.",
        unit="count",
        definition=(
            "Borgere, hvis aktive bevillinger på opgørelsesdatoen tilsammen koster over 2 mio. "
            "kr. om året (månedspris × 12)."
        ),
        better="down",
        query="kpi_expensive_citizens",
        citizen_basis=VALUE,
        needs=("grant",),
        section="Økonomi",
        compute=first("kpi_expensive_citizens"),
    ),
    Kpi(
        key="top20_share",
        label="De dyreste 20 %'s andel af udgiften",
        unit="share",
        definition=(
            "Udgifter år til dato knyttet til en borger: de 20 % dyreste borgeres andel af det "
            "samlede beløb."
        ),
        better=None,
        query="kpi_top20_share",
        citizen_basis="spend_citizens",
        needs=("expense",),
        section="Økonomi",
        compute=first("kpi_top20_share"),
    ),
    Kpi(
        key="spend_per_inhabitant",
        label="Forventet udgift pr. 18-64-årig",
        unit="kr.",
        definition=(
            "Forventet regnskab divideret med antallet af 18-64-årige i kommunen 1. januar (alle "
            "indbyggere, hvis aldersfordelingen mangler)."
        ),
        better="down",
        query="kpi_population",
        citizen_basis="economy_citizens",
        needs=("expense", "budget", "grant", "population"),
        section="Økonomi",
        compute=lambda c: ratio(c.value("forecast_year_end"), population(c)),
        by_offer_type=True,
    ),
    # Kontrakter
    Kpi(
        key="contract_coverage",
        label="Kontraktdækning, eksterne køb",
        unit="share",
        definition=(
            "Andelen af aktive bevillinger på eksterne tilbud, der har en gyldig kontrakt på "
            "opgørelsesdatoen."
        ),
        better="up",
        query="social_contract_coverage_by_group",
        citizen_basis="external_active_citizens",
        needs=("grant", "offer", "contract"),
        section="Kontrakter",
        compute=dimension_share(
            "social_contract_coverage_by_group", "owner_type", "covered", "grants"
        ),
    ),
    Kpi(
        key="contract_coverage_value",
        label="Kontraktdækning vægtet med pris",
        unit="share",
        definition="Som kontraktdækningen, men hver bevilling vægtet med sin månedspris.",
        better="up",
        query="social_contract_coverage_by_group",
        citizen_basis="external_active_citizens",
        needs=("grant", "offer", "contract"),
        section="Kontrakter",
        compute=dimension_share(
            "social_contract_coverage_by_group",
            "owner_type",
            "covered_monthly_price_dkk",
            "monthly_price_dkk",
        ),
    ),
    Kpi(
        key="contracts_with_goals",
        label="Kontrakter med mål og progression",
        unit="share",
        definition=(
            "Andelen af gyldige kontrakter på opgørelsesdatoen, der har et bilag med mål og "
            "forventet progression."
        ),
        better="up",
        query="kpi_contracts",
        citizen_basis="contract_citizens",
        needs=("contract",),
        section="Kontrakter",
        compute=first("kpi_contracts", "contracts_with_goals"),
    ),
    Kpi(
        key="contracts_to_renegotiate",
        label="Kontrakter til genforhandling inden 90 dage",
        unit="count",
        definition=(
            "Gyldige kontrakter, hvis aftalte genforhandlingsdato ligger senest 90 dage efter "
            "opgørelsesdatoen (også overskredne)."
        ),
        better=None,
        query="kpi_contracts",
        citizen_basis=VALUE,
        needs=("contract",),
        section="Kontrakter",
        compute=lambda c: first("kpi_contracts", "contracts_to_renegotiate")(c) or 0.0,
    ),
    # Visitation og opfølgning
    Kpi(
        key="citizens_active",
        label="Borgere med aktiv bevilling",
        unit="count",
        definition=("Antal forskellige borgere med mindst én aktiv bevilling på opgørelsesdatoen."),
        better=None,
        query="kpi_citizens_active",
        citizen_basis=VALUE,
        needs=("grant",),
        section="Visitation og opfølgning",
        compute=first("kpi_citizens_active"),
    ),
    Kpi(
        key="decisions",
        label="Afgørelser år til dato",
        unit="count",
        definition=("Antal visitationsafgørelser truffet fra 1. januar til opgørelsesdatoen."),
        better=None,
        query="kpi_decisions",
        citizen_basis="decision_citizens",
        needs=("decision",),
        section="Visitation og opfølgning",
        compute=first("kpi_decisions", "decisions"),
    ),
    Kpi(
        key="approval_rate",
        label="Bevillingsprocent, nye ansøgninger",
        unit="share",
        definition=(
            "Nye ansøgninger bevilget år til dato divideret med nye ansøgninger bevilget eller "
            "afslået."
        ),
        better=None,
        query="kpi_decisions",
        citizen_basis="decided_new_citizens",
        needs=("decision",),
        section="Visitation og opfølgning",
        compute=first("kpi_decisions", "approval_rate"),
    ),
    Kpi(
        key="committee_share_housing",
        label="Boligafgørelser truffet i visitationsudvalg",
        unit="share",
        definition=(
            "Andelen af årets afgørelser om botilbud og andre boligindsatser, der er truffet i "
            "visitationsudvalget."
        ),
        better="up",
        query="kpi_decisions",
        citizen_basis="housing_decision_citizens",
        needs=("decision",),
        section="Visitation og opfølgning",
        compute=first("kpi_decisions", "committee_share_housing"),
    ),
    Kpi(
        key="processing_days_median",
        label="Sagsbehandlingstid, median",
        unit="dage",
        definition=(
            "Medianen af dage fra ansøgning til afgørelse for årets afgørelser om nye ansøgninger."
        ),
        better="down",
        query="kpi_decisions",
        citizen_basis="new_decision_citizens",
        needs=("decision",),
        section="Visitation og opfølgning",
        compute=first("kpi_decisions", "processing_days_median"),
    ),
    Kpi(
        key="revisitation_coverage",
        label="Sager fulgt op inden for 2 år",
        unit="share",
        definition=(
            "Blandt aktive bevillinger, der er mindst 2 år gamle: andelen, der er fulgt op eller "
            "revisiteret inden for de seneste 2 år."
        ),
        better="up",
        query="kpi_revisitation_coverage",
        citizen_basis="old_grant_citizens",
        needs=("grant", "decision", "followup"),
        section="Visitation og opfølgning",
        compute=first("kpi_revisitation_coverage"),
    ),
    Kpi(
        key="followups_overdue",
        label="Opfølgninger over tid",
        unit="count",
        definition=(
            "Aktive bevillinger, hvis planlagte opfølgningsdato er passeret, uden at der er fulgt "
            "op."
        ),
        better="down",
        query="kpi_followups_overdue",
        citizen_basis=VALUE,
        needs=("grant", "followup"),
        section="Visitation og opfølgning",
        compute=first("kpi_followups_overdue"),
    ),
    # Progression
    Kpi(
        key="progression_share",
        label="Fremgang i funktionsniveau",
        unit="share",
        definition=(
            "Blandt borger-temaer vurderet mindst to gange det seneste år: andelen, hvor seneste "
            "funktionsniveau er bedre (lavere) end det første."
        ),
        better="up",
        query="social_progression_by_group",
        citizen_basis="progression_citizens",
        needs=("assessment",),
        section="Progression",
        compute=dimension_share("social_progression_by_group", "theme", "improved", "pairs"),
    ),
    Kpi(
        key="decline_share",
        label="Tilbagegang i funktionsniveau",
        unit="share",
        definition=(
            "Samme borger-temaer: andelen, hvor seneste funktionsniveau er dårligere (højere) end "
            "det første."
        ),
        better="down",
        query="social_progression_by_group",
        citizen_basis="progression_citizens",
        needs=("assessment",),
        section="Progression",
        compute=dimension_share("social_progression_by_group", "theme", "declined", "pairs"),
    ),
    Kpi(
        key="goal_attainment",
        label="Mål nået",
        unit="share",
        definition=(
            "Mål med tidshorisont i år til dato: andelen, hvor seneste vurdering viser, at målet "
            "er nået (udvikle og begrænse tab: målniveauet; fastholde: udgangsniveauet)."
        ),
        better="up",
        query="social_goal_attainment_by_group",
        citizen_basis="goal_citizens",
        needs=("goal", "assessment"),
        section="Progression",
        compute=dimension_share("social_goal_attainment_by_group", "theme", "achieved", "goals"),
    ),
    Kpi(
        key="goals_with_horizon",
        label="Bevillinger med tidsfastsatte mål",
        unit="share",
        definition=("Andelen af aktive bevillinger, der har mindst ét mål med en tidshorisont."),
        better="up",
        query="social_goals_with_horizon_by_group",
        citizen_basis="active_citizens",
        needs=("grant", "goal"),
        section="Progression",
        compute=dimension_share(
            "social_goals_with_horizon_by_group", "offer_type", "with_horizon", "grants"
        ),
    ),
    Kpi(
        key="early_help_within_6m",
        label="Forebyggende forløb afsluttet inden for 6 måneder",
        unit="share",
        definition=(
            "Forløb efter SEL § 82 a-b afsluttet i år til dato: andelen, der varede højst 183 dage."
        ),
        better="up",
        query="kpi_early_help",
        citizen_basis="early_help_citizens",
        needs=("grant",),
        section="Progression",
        compute=first("kpi_early_help"),
    ),
    Kpi(
        key="adjustment_signals",
        label="Tilpasningssignaler",
        unit="count",
        definition=(
            "Aktive bevillinger, hvor borgeren nåede et udviklingsmål for mindst 90 dage siden, "
            "uden at der siden er truffet afgørelse om ændring, revisitation eller ophør."
        ),
        better=None,
        query="kpi_adjustment_signals",
        citizen_basis=VALUE,
        needs=("grant", "decision", "goal", "assessment"),
        section="Progression",
        compute=first("kpi_adjustment_signals"),
    ),
    # Strategi
    Kpi(
        key="botilbud_share",
        label="Andel af borgerne på trappen, der bor i botilbud",
        unit="share",
        definition=(
            "Blandt borgere med en aktiv indsats på indsatstrappen: andelen, hvis højeste trin er "
            "midlertidigt eller længerevarende botilbud (SEL § 107 eller § 108)."
        ),
        better="down",
        query="kpi_staircase",
        citizen_basis=STAIRCASE,
        needs=("grant",),
        section="Strategi",
        compute=botilbud_share,
    ),
    Kpi(
        key="staircase_distribution",
        label="Fordeling på indsatstrappen",
        unit="share",
        definition=(
            "Borgere med en aktiv indsats på indsatstrappen fordelt efter deres højeste trin."
        ),
        better=None,
        query="kpi_staircase",
        citizen_basis=STAIRCASE,
        needs=("grant",),
        section="Strategi",
        compute=staircase,
    ),
    Kpi(
        key="citizens_per_1000",
        label="Borgere pr. 1.000 18-64-årige",
        unit="per 1.000",
        definition=(
            "Borgere med aktiv bevilling pr. 1.000 18-64-årige indbyggere (alle indbyggere, hvis "
            "aldersfordelingen mangler)."
        ),
        better=None,
        query="kpi_population",
        citizen_basis="active_citizens",
        needs=("grant", "population"),
        section="Strategi",
        compute=lambda c: ratio(c.value("citizens_active"), population(c), 1000),
    ),
    Kpi(
        key="target_status",
        label="Status på politiske mål",
        unit="status",
        definition=(
            "For hvert politisk mål: årets faktiske værdi mod målet. Grøn: nået; gul: misset med "
            "højst 5 % af målet; rød: misset med mere."
        ),
        better=None,
        query="kpi_strategy_targets",
        citizen_basis=DERIVED,
        needs=("strategy_target",),
        section="Strategi",
        compute=target_status,
    ),
)

REGISTRY: dict[str, Kpi] = {k.key: k for k in KPIS}

# The figures of the Økonomi headline, computable for one offer type.
HEADLINE = (
    "forecast_year_end",
    "budget_corrected",
    "forecast_deviation",
    "forecast_deviation_pct",
    "spend_ytd",
    "spend_per_inhabitant",
)

MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure(
            key="growth",
            label="Vækst i forhold til sidste års regnskab",
            unit="share",
            definition=(
                "Forventet regnskab i år divideret med sidste års regnskab (forbruget 1. januar – "
                "31. december sidste år), minus 1. Positiv = vi forventer at bruge mere end sidste "
                "år."
            ),
        ),
        Measure(
            key="citizen_active_grants", label="Aktive bevillinger", unit="count", definition=""
        ),
        Measure(
            key="citizen_monthly_price",
            label="Månedspris i alt",
            unit="kr.",
            definition=(
                "Summen af månedsprisen for borgerens aktive bevillinger på opgørelsesdatoen."
            ),
        ),
        Measure(
            key="citizen_yearly_price",
            label="Årlig udgift",
            unit="kr.",
            definition=(
                "Månedsprisen for de aktive bevillinger × 12, som i nøgletallet Borgere med årlig "
                "udgift over 2 mio. kr."
            ),
        ),
        Measure(
            key="citizen_spend_ytd",
            label="Forbrug år til dato",
            unit="kr.",
            definition=(
                "Bogførte udgifter på borgerens bevillinger fra 1. januar til opgørelsesdatoen."
            ),
        ),
        Measure(
            key="offer_citizens",
            label="Borgere med aktiv bevilling her",
            unit="count",
            definition="",
        ),
        Measure(
            key="offer_occupancy",
            label="Belægning, borgere af pladser",
            unit="status",
            definition=(
                "Kommunens borgere med aktiv bevilling på tilbuddet af tilbuddets godkendte "
                "pladser. Vises kun for kommunens egne tilbud; på eksterne tilbud deler flere "
                "kommuner pladserne."
            ),
        ),
        Measure(
            key="offer_monthly_price",
            label="Månedspris i alt",
            unit="kr.",
            definition="Summen af månedsprisen for de aktive bevillinger på tilbuddet.",
        ),
        Measure(
            key="offer_spend_ytd",
            label="Forbrug år til dato",
            unit="kr.",
            definition="Bogførte udgifter på tilbuddet fra 1. januar til opgørelsesdatoen.",
        ),
        Measure(
            key="offer_median_price",
            label="Median månedspris her",
            unit="kr.",
            definition="Median af månedsprisen for aktive bevillinger på {offer_type} her.",
        ),
        Measure(
            key="offer_type_median_price",
            label="Median for typen i kommunen",
            unit="kr.",
            definition=(
                "Median af månedsprisen for alle aktive bevillinger på samme indsatstype i "
                "kommunen."
            ),
        ),
        Measure(
            key="offer_contract_coverage",
            label="Kontraktdækning",
            unit="share",
            definition=(
                "Andelen af de aktive bevillinger på tilbuddet med en gyldig kontrakt. Gælder kun "
                "eksterne tilbud."
            ),
        ),
        Measure(key="signal_citizens", label="Borgere", unit="count", definition=""),
        Measure(
            key="signal_monthly_price",
            label="Månedspris for bevillingerne",
            unit="kr.",
            definition="Summen af månedsprisen for bevillingerne med et tilpasningssignal.",
        ),
        Measure(
            key="signal_difference",
            label="Vejledende forskel pr. måned",
            unit="kr.",
            definition=(
                "Vejledende: summen af hver bevillings månedspris minus den typiske månedspris ét "
                "trin lavere på indsatstrappen (kun bevillinger, der har et trin under sig: "
                "{with_next_step} af {grants}). Om en tilpasning er fagligt rigtig, afgøres i den "
                "enkelte sag."
            ),
        ),
    )
}
