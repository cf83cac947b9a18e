-- Datagrundlag: grants active on the reference date and their gaps: no price, no offer (or an offer
-- the offer table does not know), no planned follow-up. Grain: one row. Params: municipality, as_of.
select
    count(*) as grants_active,
    sum(case when g.monthly_price is null or g.monthly_price <= 0 then 1 else 0 end)
        as without_price,
    sum(case when g.offer_id is null or o.offer_id is null then 1 else 0 end) as without_offer,
    sum(case when g.next_followup_date is null then 1 else 0 end) as without_followup_date
from "grant" as g
left join offer as o
    on o.municipality_code = g.municipality_code
    and o.offer_id = g.offer_id
where g.municipality_code = :municipality
  -- include: active_on_d
