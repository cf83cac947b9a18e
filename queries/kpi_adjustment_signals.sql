-- Tilpasningssignaler: grants active on the reference date with a develop goal achieved at least
-- 90 days before it (achieved = the first assessment of the citizen and theme on or after set_on
-- with level <= target_level) and no change, revisitation or end decision for the citizen from the
-- achievement date up to the reference date. Grain: one row. Params: municipality, as_of,
-- as_of_minus_90.
with achievements as (
    select
        o.grant_id,
        o.citizen_id,
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
    group by o.goal_id, o.grant_id, o.citizen_id
)

select count(distinct g.grant_id) as value
from "grant" as g
join achievements as x
    on x.grant_id = g.grant_id
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
