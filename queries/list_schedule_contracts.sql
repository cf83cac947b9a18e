-- Døgnhjul behind each contract (optional table support_schedule, issue 18): for each contract
-- valid on the reference date, the weekly staffed hours (Σ (to_hour − from_hour) × staff_ratio)
-- of every version of its grant's døgnhjul. Citizen-level.
-- Grain: one row per contract and døgnhjul version. Params: municipality, as_of.
with weekly as (
    select
        grant_id,
        valid_from,
        sum((to_hour - from_hour) * cast(staff_ratio as double precision)) as weekly_hours
    from support_schedule
    where municipality_code = :municipality
      and valid_from <= cast(:as_of as date)
    group by grant_id, valid_from
)

select
    k.contract_id,
    k.grant_id,
    g.citizen_id,
    o.name as offer_name,
    k.valid_from as price_set_on,
    cast(k.monthly_price as double precision) as contract_price,
    w.valid_from as schedule_from,
    w.weekly_hours
from contract as k
join "grant" as g
    on g.municipality_code = k.municipality_code
    and g.grant_id = k.grant_id
left join offer as o
    on o.municipality_code = g.municipality_code
    and o.offer_id = g.offer_id
join weekly as w on w.grant_id = k.grant_id
where k.municipality_code = :municipality
  and k.valid_from <= cast(:as_of as date)
  and (k.valid_to is null or k.valid_to >= cast(:as_of as date))
order by k.contract_id, w.valid_from
