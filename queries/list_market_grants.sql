-- Køb af pladser: every grant active on the reference date with a monthly price, in an offer, on an
-- offer type with places (the market comparison's basis: external grants are compared, every grant
-- of the type gives the quartiles). Citizen-level. Grain: one row per grant.
-- Params: municipality, as_of.
select
    g.grant_id,
    g.citizen_id,
    g.offer_id,
    o.name as offer_name,
    o.owner_type,
    g.offer_type_code,
    coalesce(t.name, g.offer_type_code) as offer_type_name,
    g.start_date,
    cast(g.monthly_price as double precision) as monthly_price
from "grant" as g
join offer as o
    on o.municipality_code = g.municipality_code
    and o.offer_id = g.offer_id
left join offer_type as t on t.offer_type_code = g.offer_type_code
where g.municipality_code = :municipality
  and g.monthly_price > 0
  and g.start_date <= cast(:as_of as date)
  and (g.end_date is null or g.end_date >= cast(:as_of as date))
order by g.offer_type_code, g.grant_id
