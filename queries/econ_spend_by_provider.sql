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
-- include: expenses_in_window
  and e.offer_id is not null
group by e.offer_id, coalesce(o.name, e.offer_id), o.owner_type, e.offer_type_code
order by e.offer_id, e.offer_type_code
