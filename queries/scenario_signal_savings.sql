-- Hvad nu hvis: acting on the first K adjustment signals, dearest first (the order of
-- list_adjustment_signals: highest monthly price first, then grant_id). The signal rule is that of
-- kpi_adjustment_signals / list_adjustment_signals. A signal's "vejledende forskel" is its monthly
-- price minus the median monthly price of grants active on the reference date one step down the
-- indsatstrappe (none for grants not on the staircase or on its first step: counted as 0).
-- Grain: one row (aggregate: no citizen is named). Params: municipality, as_of, as_of_minus_90,
-- signals.
with
-- include: signal_achievements,

signal_grants as (
    select distinct g.grant_id, g.citizen_id, g.offer_type_code, g.monthly_price
    from signals as x
    join "grant" as g on g.municipality_code = :municipality and g.grant_id = x.grant_id
),

-- include: step_prices,

ranked as (
    select
        s.citizen_id,
        cast(s.monthly_price as double precision) - p.median_monthly_price as difference,
        row_number() over (order by s.monthly_price desc, s.grant_id) as rank_no
    from signal_grants as s
    left join offer_type as t on t.offer_type_code = s.offer_type_code
    left join step_prices as p on p.staircase_step = t.staircase_step - 1
)

select
    count(*) as signals_used,
    count(distinct citizen_id) as citizens,
    cast(coalesce(sum(difference), 0) as double precision) as monthly_difference_dkk,
    (select count(*) from signal_grants) as signals_available
from ranked
where rank_no <= :signals
