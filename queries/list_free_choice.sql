-- Frit valg (LOV 747 af 20/06/2025, § 108): grants active on the reference date where the citizen
-- chose another offer than the one referred to (optional columns grant.referred_offer_id and
-- grant.referred_monthly_price, issue 18). Citizen-level. Grain: one row per grant.
-- Params: municipality, as_of.
select
    g.grant_id,
    g.citizen_id,
    g.offer_type_code,
    o.name as offer_name,
    cast(g.monthly_price as double precision) as monthly_price,
    g.referred_offer_id,
    r.name as referred_offer_name,
    cast(g.referred_monthly_price as double precision) as referred_monthly_price
from "grant" as g
left join offer as o
    on o.municipality_code = g.municipality_code
    and o.offer_id = g.offer_id
left join offer as r
    on r.municipality_code = g.municipality_code
    and r.offer_id = g.referred_offer_id
where g.municipality_code = :municipality
  and (g.referred_offer_id is not null or g.referred_monthly_price is not null)
  and g.start_date <= cast(:as_of as date)
  and (g.end_date is null or g.end_date >= cast(:as_of as date))
order by g.grant_id
