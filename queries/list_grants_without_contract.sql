-- Eksterne bevillinger uden gyldig kontrakt, one row per grant (the list behind
-- the KPI contract_coverage, same rule): grants on offers with owner_type <> 'own', active on the
-- reference date, with no contract valid on that date. Each row says whether the grant never had a
-- contract, whose last contract expired (latest valid_to before the date) or whose next contract
-- has not started yet. Citizen-level. Grain: one row per grant.
-- Params: municipality, as_of, citizen_id ('' for every citizen).
with other_contracts as (
    select
        grant_id,
        max(case when valid_to < cast(:as_of as date) then valid_to end) as expired_on,
        min(case when valid_from > cast(:as_of as date) then valid_from end) as starts_on
    from contract
    where municipality_code = :municipality
    group by grant_id
)

select
    g.grant_id,
    g.citizen_id,
    g.offer_id,
    o.name as offer_name,
    o.owner_type,
    g.offer_type_code,
    coalesce(t.name, g.offer_type_code) as offer_type_name,
    g.start_date,
    cast(g.monthly_price as double precision) as monthly_price,
    c.expired_on,
    c.starts_on
from "grant" as g
join offer as o
    on o.municipality_code = g.municipality_code
    and o.offer_id = g.offer_id
left join offer_type as t on t.offer_type_code = g.offer_type_code
left join other_contracts as c on c.grant_id = g.grant_id
where g.municipality_code = :municipality
  and o.owner_type <> 'own'
  -- include: active_on_d
  and (cast(:citizen_id as text) = '' or g.citizen_id = :citizen_id)
  and not exists (
      select 1
      from contract as k
      where k.municipality_code = g.municipality_code
        and k.grant_id = g.grant_id
        and k.valid_from <= cast(:as_of as date)
        and (k.valid_to is null or k.valid_to >= cast(:as_of as date))
  )
order by g.monthly_price desc, g.grant_id
