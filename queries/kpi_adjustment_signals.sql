-- Tilpasningssignaler: grants active on the reference date with a develop goal achieved at least
-- 90 days before it (achieved = the first assessment of the citizen and theme on or after set_on
-- with level <= target_level) and no change, revisitation or end decision for the citizen from the
-- achievement date up to the reference date. Grain: one row. Params: municipality, as_of,
-- as_of_minus_90.
with active_grants as (
    select grant_id, citizen_id
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:as_of as date)
      and (end_date is null or end_date >= cast(:as_of as date))
),

develop_goals as (
    select o.goal_id, o.grant_id, o.citizen_id, o.theme, o.set_on, o.target_level
    from goal as o
    join active_grants as g on g.grant_id = o.grant_id
    where o.municipality_code = :municipality
      and o.goal_type = 'develop'
),

achievements as (
    select o.goal_id, o.grant_id, o.citizen_id, min(a.assessed_on) as achieved_on
    from develop_goals as o
    join assessment as a
        on a.citizen_id = o.citizen_id
        and a.theme = o.theme
        and a.assessed_on >= o.set_on
        and a.level <= o.target_level
    where a.municipality_code = :municipality
    group by o.goal_id, o.grant_id, o.citizen_id
)

select count(distinct x.grant_id) as value
from achievements as x
where x.achieved_on <= cast(:as_of_minus_90 as date)
  and not exists (
      select 1
      from decision as d
      where d.municipality_code = :municipality
        and d.citizen_id = x.citizen_id
        and d.kind in ('change', 'revisitation', 'end')
        and d.decision_date >= x.achieved_on
        and d.decision_date <= cast(:as_of as date)
  )
