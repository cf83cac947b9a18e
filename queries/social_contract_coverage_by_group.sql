-- Kontraktdækning fordelt efter ejerform og indsatstype: external grants (offer owner_type <>
-- 'own') active on the reference date, those with a contract valid on that date, and both
-- weighted by the grant's monthly price. The KPIs contract_coverage and contract_coverage_value
-- are its owner_type rows added up (cockpit/metrics/registry.py).
-- Grain: one row per dimension (owner_type, offer_type) and group. Params: municipality, as_of.
with external_grants as (
    select
        g.grant_id,
        g.citizen_id,
        o.owner_type,
        g.offer_type_code,
        coalesce(t.name, g.offer_type_code) as offer_type_name,
        g.monthly_price,
        case when exists (
            select 1
            from contract as c
            where c.municipality_code = g.municipality_code
              and c.grant_id = g.grant_id
              and c.valid_from <= cast(:as_of as date)
              and (c.valid_to is null or c.valid_to >= cast(:as_of as date))
        ) then 1 else 0 end as covered
    from "grant" as g
    join offer as o
        on o.municipality_code = g.municipality_code
        and o.offer_id = g.offer_id
    left join offer_type as t on t.offer_type_code = g.offer_type_code
    where g.municipality_code = :municipality
      and o.owner_type <> 'own'
      -- include: active_on_d
),

grouped as (
    select
        'owner_type' as dimension,
        owner_type as group_key,
        owner_type as group_name,
        citizen_id,
        monthly_price,
        covered
    from external_grants
    union all
    select 'offer_type', offer_type_code, offer_type_name, citizen_id, monthly_price, covered
    from external_grants
)

select
    dimension,
    group_key,
    group_name,
    count(*) as grants,
    sum(covered) as covered,
    cast(sum(monthly_price) as double precision) as monthly_price_dkk,
    cast(sum(covered * monthly_price) as double precision) as covered_monthly_price_dkk,
    count(distinct citizen_id) as citizens
from grouped
group by dimension, group_key, group_name
order by dimension, group_key
