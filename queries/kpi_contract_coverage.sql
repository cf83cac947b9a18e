-- Kontraktdækning: among external grants (offer owner_type <> 'own') active on the reference date,
-- the share with a contract valid on that date, by count and weighted by monthly price.
-- Grain: one row. Params: municipality, as_of.
with external_grants as (
    select
        g.grant_id,
        g.monthly_price,
        case when exists (
            select 1
            from contract as c
            where c.municipality_code = :municipality
              and c.grant_id = g.grant_id
              and c.valid_from <= cast(:as_of as date)
              and (c.valid_to is null or c.valid_to >= cast(:as_of as date))
        ) then 1 else 0 end as covered
    from "grant" as g
    join offer as o
        on o.municipality_code = g.municipality_code
        and o.offer_id = g.offer_id
    where g.municipality_code = :municipality
      and o.owner_type <> 'own'
      -- include: active_on_d
)

select
    cast(sum(covered) as double precision) / nullif(count(*), 0) as contract_coverage,
    cast(sum(covered * monthly_price) as double precision)
    / nullif(cast(sum(monthly_price) as double precision), 0) as contract_coverage_value
from external_grants
