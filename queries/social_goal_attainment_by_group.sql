-- Mål nået fordelt efter tema, indsatstype og tilbud: the goals of kpi_goal_attainment (target date
-- in the window, judged on the latest assessment of the citizen and theme between set_on and the
-- reference date), grouped by the goal's theme and by the offer type and offer of the goal's grant
-- (goals without a grant, or whose grant has no offer, appear under themes and offer types only).
-- Grain: one row per dimension (theme, offer_type, offer) and group.
-- Params: municipality, window_start, as_of.
with due as (
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

judged as (
    select
        d.goal_id,
        d.citizen_id,
        d.theme,
        g.offer_type_code,
        coalesce(t.name, g.offer_type_code) as offer_type_name,
        g.offer_id,
        coalesce(o.name, g.offer_id) as offer_name,
        case
            when d.goal_type in ('develop', 'limit_loss') and l.level <= d.target_level then 1
            when d.goal_type = 'maintain' and l.level <= d.baseline_level then 1
            else 0
        end as achieved
    from due as d
    left join latest as l on l.goal_id = d.goal_id and l.position = 1
    left join "grant" as g on g.municipality_code = :municipality and g.grant_id = d.grant_id
    left join offer_type as t on t.offer_type_code = g.offer_type_code
    left join offer as o on o.municipality_code = :municipality and o.offer_id = g.offer_id
),

grouped as (
    select
        'theme' as dimension,
        theme as group_key,
        theme as group_name,
        citizen_id,
        achieved
    from judged
    union all
    select
        'offer_type',
        coalesce(offer_type_code, ''),
        coalesce(offer_type_name, ''),
        citizen_id,
        achieved
    from judged
    union all
    select 'offer', offer_id, offer_name, citizen_id, achieved
    from judged
    where offer_id is not null
)

select
    dimension,
    group_key,
    group_name,
    count(*) as goals,
    sum(achieved) as achieved,
    count(distinct citizen_id) as citizens
from grouped
group by dimension, group_key, group_name
order by dimension, group_key
