-- Forbrug år til dato efter tilbuddets ejerform: own, other_municipality, region, private, or null
-- when the expense names no known offer. offer_type: one offer type code, or '' for all.
-- citizens: distinct citizens behind the expenses. Grain: one row per owner type.
-- Params: municipality, window_start, as_of, offer_type.
select
    o.owner_type,
    cast(sum(e.amount_dkk) as double precision) as spend_dkk,
    count(distinct e.citizen_id) as citizens
from expense as e
left join offer as o
    on o.municipality_code = e.municipality_code
    and o.offer_id = e.offer_id
where e.municipality_code = :municipality
  and e.posting_date between cast(:window_start as date) and cast(:as_of as date)
  and (cast(:offer_type as varchar) = '' or e.offer_type_code = cast(:offer_type as varchar))
group by o.owner_type
order by o.owner_type
