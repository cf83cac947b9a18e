-- Adjustment signals, written once for kpi_adjustment_signals and list_adjustment_signals:
-- develop goals of grants active on the reference date; a goal is achieved on the first assessment
-- of its citizen and theme on or after set_on with level <= target_level; a signal is an
-- achievement at least 90 days before the reference date with no change, revisitation or end
-- decision for the citizen from the achievement date up to the reference date.
-- CTEs: signal_goals, achievements, signals. Params: municipality, as_of, as_of_minus_90.
signal_goals as (
    select o.goal_id, o.grant_id, o.citizen_id, o.theme, o.set_on, o.target_level
    from goal as o
    join "grant" as g
        on g.municipality_code = o.municipality_code
        and g.grant_id = o.grant_id
    where o.municipality_code = :municipality
      and o.goal_type = 'develop'
      -- include: active_on_d
),

achievements as (
    select o.goal_id, o.grant_id, o.citizen_id, o.theme, min(a.assessed_on) as achieved_on
    from signal_goals as o
    join assessment as a
        on a.municipality_code = :municipality
        and a.citizen_id = o.citizen_id
        and a.theme = o.theme
        and a.assessed_on >= o.set_on
        and a.level <= o.target_level
    group by o.goal_id, o.grant_id, o.citizen_id, o.theme
),

signals as (
    select x.goal_id, x.grant_id, x.citizen_id, x.theme, x.achieved_on
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
)
