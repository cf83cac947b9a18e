-- Forbrug år til dato efter tilbuddets ejerform: own, other_municipality, region, private, or null
-- when the expense names no known offer. offer_type: one offer type code, or '' for all.
-- citizens: distinct citizens behind the expenses. Grain: one row per owner type.
-- Params: municipality, window_start, as_of, offer_type.
select
    o.owner_type,
    cast(sum(e.amount_dkk) as double precision) as spend_dkk,
    count(distinct e.citizen_id) as citizens
-- include: expenses_in_window
  and (cast(:offer_type as varchar) = '' or e.offer_type_code = cast(:offer_type as varchar))
group by o.owner_type
order by o.owner_type
