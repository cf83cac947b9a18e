-- Tilpasningssignaler, one row per grant (the list behind kpi_adjustment_signals, same rule):
-- grants active on the reference date with a develop goal achieved at least 90 days before it
-- (achieved = the first assessment of the citizen and theme on or after set_on with level <=
-- target_level) and no change, revisitation or end decision for the citizen from that achievement
-- date up to the reference date. Each row carries the grant's monthly price and offer, the earliest
-- such achievement and its themes, and the next step down the indsatstrappe (the offer type(s) one
-- step lower) with the median monthly price of grants active on that step on the reference date;
-- grants not on the staircase, or on its first step, have no next step.
-- Citizen-level. Grain: one row per grant.
-- Params: municipality, as_of, as_of_minus_90, citizen_id ('' for every citizen).
with achievements as (
    select
        o.goal_id,
        o.grant_id,
        o.citizen_id,
        o.theme,
        min(a.assessed_on) as achieved_on
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
    group by o.goal_id, o.grant_id, o.citizen_id, o.theme
),

signals as (
    select
        g.grant_id,
        min(x.achieved_on) as achieved_on,
        count(distinct x.goal_id) as goals_achieved,
        string_agg(distinct x.theme, ', ' order by x.theme) as themes
    from "grant" as g
    join achievements as x
        on x.grant_id = g.grant_id
    where g.municipality_code = :municipality
      and g.start_date <= cast(:as_of as date)
      and (g.end_date is null or g.end_date >= cast(:as_of as date))
      and (cast(:citizen_id as text) = '' or g.citizen_id = :citizen_id)
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
    group by g.grant_id
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
      and g.start_date <= cast(:as_of as date)
      and (g.end_date is null or g.end_date >= cast(:as_of as date))
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
from signals as s
join "grant" as g on g.municipality_code = :municipality and g.grant_id = s.grant_id
left join offer_type as t on t.offer_type_code = g.offer_type_code
left join offer as o on o.municipality_code = g.municipality_code and o.offer_id = g.offer_id
left join steps as n on n.staircase_step = t.staircase_step - 1
left join step_prices as p on p.staircase_step = n.staircase_step
order by g.monthly_price desc, g.grant_id
