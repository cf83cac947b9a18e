-- Tilpasningssignaler, one row per grant (the list behind kpi_adjustment_signals, the same rule in
-- queries/base/signal_achievements.sql). Each row carries the grant's monthly price and offer, the earliest
-- such achievement and its themes, and the next step down the indsatstrappe (the offer type(s) one
-- step lower) with the median monthly price of grants active on that step on the reference date;
-- grants not on the staircase, or on its first step, have no next step.
-- Citizen-level. Grain: one row per grant.
-- Params: municipality, as_of, as_of_minus_90, citizen_id ('' for every citizen).
with
-- include: signal_achievements,

per_grant as (
    select
        s.grant_id,
        min(s.achieved_on) as achieved_on,
        count(distinct s.goal_id) as goals_achieved,
        string_agg(distinct s.theme, ', ' order by s.theme) as themes
    from signals as s
    join "grant" as g on g.municipality_code = :municipality and g.grant_id = s.grant_id
    where cast(:citizen_id as text) = '' or g.citizen_id = :citizen_id
    group by s.grant_id
),

steps as (
    select
        staircase_step,
        string_agg(offer_type_code, ', ' order by offer_type_code) as offer_type_code,
        string_agg(name, ' / ' order by offer_type_code) as name
    from offer_type
    where staircase_step is not null
    group by staircase_step
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
      -- include: active_on_d
    group by t.staircase_step
)

select
    g.grant_id,
    g.citizen_id,
    g.offer_type_code,
    coalesce(t.name, g.offer_type_code) as offer_type_name,
    t.staircase_step,
    g.offer_id,
    o.name as offer_name,
    g.start_date,
    cast(g.monthly_price as double precision) as monthly_price,
    s.achieved_on,
    cast(:as_of as date) - s.achieved_on as days_since_achieved,
    s.goals_achieved,
    s.themes,
    n.offer_type_code as next_offer_type_code,
    n.name as next_offer_type_name,
    cast(p.median_monthly_price as double precision) as next_median_monthly_price
from per_grant as s
join "grant" as g on g.municipality_code = :municipality and g.grant_id = s.grant_id
left join offer_type as t on t.offer_type_code = g.offer_type_code
left join offer as o on o.municipality_code = g.municipality_code and o.offer_id = g.offer_id
left join steps as n on n.staircase_step = t.staircase_step - 1
left join step_prices as p on p.staircase_step = n.staircase_step
order by g.monthly_price desc, g.grant_id
