-- Forbrug år til dato som terning: the cells every Økonomi spend table is a sum of (offer type ×
-- offer × owner type × posting month), for suppressing small numbers across linked tables
-- (cockpit/cube.py). offer_id is null for an expense without an offer; owner_type is null when the
-- offer is missing or unknown. citizens: distinct citizens behind the cell.
-- Grain: one row per offer type, offer, owner type and month. Params: municipality, window_start,
-- as_of.
select
    e.offer_type_code,
    e.offer_id,
    o.owner_type,
    cast(extract(month from e.posting_date) as integer) as month,
    cast(sum(e.amount_dkk) as double precision) as spend_dkk,
    count(distinct e.citizen_id) as citizens
from expense as e
left join offer as o
    on o.municipality_code = e.municipality_code
    and o.offer_id = e.offer_id
where e.municipality_code = :municipality
  and e.posting_date between cast(:window_start as date) and cast(:as_of as date)
group by e.offer_type_code, e.offer_id, o.owner_type, cast(extract(month from e.posting_date) as integer)
order by month, e.offer_type_code, e.offer_id
