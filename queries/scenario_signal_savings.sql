-- Hvad nu hvis: acting on the first K adjustment signals, dearest first (the order of
-- list_adjustment_signals: highest monthly price first, then grant_id). The signal rule is that of
-- kpi_adjustment_signals / list_adjustment_signals. A signal's "vejledende forskel" is its monthly
-- price minus the median monthly price of grants active on the reference date one step down the
-- indsatstrappe (none for grants not on the staircase or on its first step: counted as 0).
-- Grain: one row (aggregate: no citizen is named). Params: municipality, as_of, as_of_minus_90,
-- signals.
with achievements as (
    select o.goal_id, o.grant_id, min(a.assessed_on) as achieved_on
    from goal as o
    join assessment as a
        on a.municipality_code = o.municipality_code
        and a.citizen_id = o.citizen_id
        and a.theme = o.theme
        and a.assessed_on >= o.set_on
        and a.level <= o.target_level
    where o.municipality_code = :municipality
      and o.goal_type = 'develop'
      and o.grant_id is not null
    group by o.goal_id, o.grant_id
),

signals as (
    select distinct g.grant_id, g.citizen_id, g.offer_type_code, g.monthly_price
    from "grant" as g
    join achievements as x on x.grant_id = g.grant_id
    where g.municipality_code = :municipality
      and g.start_date <= cast(:as_of as date)
      and (g.end_date is null or g.end_date >= cast(:as_of as date))
      and x.achieved_on <= cast(:as_of_minus_90 as date)
      and not exists (
          select 1
          from decision as d
          where d.municipality_code = g.municipality_code
            and d.citizen_id = g.citizen_id
            and d.kind in ('change', 'revisitation', 'end')
            and d.decision_date >= x.achieved_on
            and d.decision_date <= cast(:as_of as date)
      )
),

step_prices as (
    select
        t.staircase_step,
        percentile_cont(0.5) within group (
            order by cast(g.monthly_price as double precision)
        ) as median_monthly_price
    from "grant" as g
    join offer_type as t on t.offer_type_code = g.offer_type_code
    where g.municipality_code = :municipality
      and t.staircase_step is not null
      and g.start_date <= cast(:as_of as date)
      and (g.end_date is null or g.end_date >= cast(:as_of as date))
    group by t.staircase_step
),

ranked as (
    select
        s.citizen_id,
        cast(s.monthly_price as double precision) - p.median_monthly_price as difference,
        row_number() over (order by s.monthly_price desc, s.grant_id) as rank_no
    from signals as s
    left join offer_type as t on t.offer_type_code = s.offer_type_code
    left join step_prices as p on p.staircase_step = t.staircase_step - 1
)

select
    count(*) as signals_used,
    count(distinct citizen_id) as citizens,
    cast(coalesce(sum(difference), 0) as double precision) as monthly_difference_dkk,
    (select count(*) from signals) as signals_available
from ranked
where rank_no <= :signals
