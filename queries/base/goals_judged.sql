-- Goals judged, written once: goals with target_date in the window (1 January to the reference
-- date), each judged on the latest assessment of its citizen and theme between set_on and the
-- reference date: achieved when develop or limit_loss reaches level <= target_level, or maintain
-- stays at level <= baseline_level; no assessment is not achieved. CTEs: due, latest, judged_goals.
-- Params: municipality, window_start, as_of.
due as (
    select goal_id, citizen_id, grant_id, theme, goal_type, baseline_level, target_level, set_on
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
),

judged_goals as (
    select
        d.goal_id,
        d.citizen_id,
        d.grant_id,
        d.theme,
        case
            when d.goal_type in ('develop', 'limit_loss') and l.level <= d.target_level then 1
            when d.goal_type = 'maintain' and l.level <= d.baseline_level then 1
            else 0
        end as achieved
    from due as d
    left join latest as l on l.goal_id = d.goal_id and l.position = 1
)
