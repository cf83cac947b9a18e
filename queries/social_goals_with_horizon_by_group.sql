-- Bevillinger med tidsfastsatte mål fordelt efter indsatstype og tilbud: grants active on the
-- reference date, and those with at least one goal (same grant_id) that has a target_date; the KPI
-- goals_with_horizon is its offer_type rows added up. Grain: one row per dimension (offer_type,
-- offer) and group.
-- Params: municipality, as_of.
with active as (
    select
        g.grant_id,
        g.citizen_id,
        g.offer_type_code,
        coalesce(t.name, g.offer_type_code) as offer_type_name,
        g.offer_id,
        coalesce(o.name, g.offer_id) as offer_name,
        case when exists (
            select 1
            from goal as x
            where x.municipality_code = g.municipality_code
              and x.grant_id = g.grant_id
              and x.target_date is not null
        ) then 1 else 0 end as with_horizon
    from "grant" as g
    left join offer_type as t on t.offer_type_code = g.offer_type_code
    left join offer as o on o.municipality_code = g.municipality_code and o.offer_id = g.offer_id
    where g.municipality_code = :municipality
      -- include: active_on_d
),

grouped as (
    select
        'offer_type' as dimension,
        offer_type_code as group_key,
        offer_type_name as group_name,
        citizen_id,
        with_horizon
    from active
    union all
    select 'offer', offer_id, offer_name, citizen_id, with_horizon
    from active
    where offer_id is not null
)

select
    dimension,
    group_key,
    group_name,
    count(*) as grants,
    sum(with_horizon) as with_horizon,
    count(distinct citizen_id) as citizens
from grouped
group by dimension, group_key, group_name
order by dimension, group_key
