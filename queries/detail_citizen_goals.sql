-- Én borgers mål sat senest på opgørelsesdatoen, with the latest assessment of the goal's theme
-- between set_on and the date, and whether it meets the goal by the goal_attainment rule (develop
-- and limit_loss: level <= target_level; maintain: level <= baseline_level; no assessment: not
-- met). Newest first. Citizen-level. Grain: one row per goal.
-- Params: municipality, citizen_id, as_of.
with latest as (
    select
        o.goal_id,
        a.assessed_on,
        a.level,
        row_number() over (partition by o.goal_id order by a.assessed_on desc) as position
    from goal as o
    join assessment as a
        on a.municipality_code = o.municipality_code
        and a.citizen_id = o.citizen_id
        and a.theme = o.theme
        and a.assessed_on >= o.set_on
        and a.assessed_on <= cast(:as_of as date)
    where o.municipality_code = :municipality
      and o.citizen_id = :citizen_id
)

select
    o.goal_id,
    o.grant_id,
    o.theme,
    o.goal_type,
    o.baseline_level,
    o.target_level,
    o.set_on,
    o.target_date,
    l.assessed_on as latest_assessed_on,
    l.level as latest_level,
    case
        when o.goal_type in ('develop', 'limit_loss') and l.level <= o.target_level then 1
        when o.goal_type = 'maintain' and l.level <= o.baseline_level then 1
        else 0
    end as met
from goal as o
left join latest as l on l.goal_id = o.goal_id and l.position = 1
where o.municipality_code = :municipality
  and o.citizen_id = :citizen_id
  and o.set_on <= cast(:as_of as date)
order by o.set_on desc, o.theme, o.goal_id
