-- Mål nået: goals with target_date in the window, judged on the latest assessment of the goal's
-- citizen and theme between set_on and the reference date (none: not achieved). develop and
-- limit_loss: level <= target_level; maintain: level <= baseline_level. Grain: one row.
-- Params: municipality, window_start, as_of.
with due as (
    select goal_id, citizen_id, theme, goal_type, baseline_level, target_level, set_on
    from goal
    where municipality_code = :municipality
      and target_date between cast(:window_start as date) and cast(:as_of as date)
),

latest as (
    select
        d.goal_id,
        a.level,
        row_number() over (partition by d.goal_id order by a.assessed_on desc) as position
    from due as d
    join assessment as a
        on a.municipality_code = :municipality
        and a.citizen_id = d.citizen_id
        and a.theme = d.theme
        and a.assessed_on >= d.set_on
        and a.assessed_on <= cast(:as_of as date)
)

select
    cast(sum(
        case
            when d.goal_type in ('develop', 'limit_loss') and l.level <= d.target_level then 1
            when d.goal_type = 'maintain' and l.level <= d.baseline_level then 1
            else 0
        end
    ) as double precision) / nullif(count(*), 0) as value
from due as d
left join latest as l on l.goal_id = d.goal_id and l.position = 1
