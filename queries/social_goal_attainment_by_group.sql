-- Mål nået fordelt efter tema, indsatstype og tilbud: the goals of queries/base/goals_judged.sql
-- (target date in the window, judged on the latest assessment of the citizen and theme), grouped
-- by the goal's theme and by the offer type and offer of the goal's grant (goals without a grant,
-- or whose grant has no offer, appear under themes and offer types only).
-- The KPI goal_attainment is its theme rows added up (cockpit/metrics/registry.py).
-- Grain: one row per dimension (theme, offer_type, offer) and group.
-- Params: municipality, window_start, as_of.
with
-- include: goals_judged,

judged as (
    select
        j.goal_id,
        j.citizen_id,
        j.theme,
        g.offer_type_code,
        coalesce(t.name, g.offer_type_code) as offer_type_name,
        g.offer_id,
        coalesce(o.name, g.offer_id) as offer_name,
        j.achieved
    from judged_goals as j
    left join "grant" as g on g.municipality_code = :municipality and g.grant_id = j.grant_id
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
