-- Forbrug år til dato pr. tilbud (leverandør) and offer type of the expense, for expenses that
-- name an offer. citizens: distinct citizens behind the expenses. Grain: one row per offer and
-- offer type. Params: municipality, window_start, as_of.
select
    e.offer_id,
    coalesce(o.name, e.offer_id) as offer_name,
    o.owner_type,
    e.offer_type_code,
    cast(sum(e.amount_dkk) as double precision) as spend_dkk,
    count(distinct e.citizen_id) as citizens
from expense as e
left join offer as o
    on o.municipality_code = e.municipality_code
    and o.offer_id = e.offer_id
where e.municipality_code = :municipality
  and e.posting_date between cast(:window_start as date) and cast(:as_of as date)
  and e.offer_id is not null
group by e.offer_id, coalesce(o.name, e.offer_id), o.owner_type, e.offer_type_code
order by e.offer_id, e.offer_type_code
