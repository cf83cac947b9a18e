-- Every grant active on the reference date with its citizen, start and monthly price: what a
-- resolved adjustment signal's citizen receives after the change (worklists, money realised).
-- Citizen-level. Grain: one row per grant. Params: municipality, as_of.
select
    grant_id,
    citizen_id,
    offer_type_code,
    start_date,
    cast(monthly_price as double precision) as monthly_price
from "grant" as g
where g.municipality_code = :municipality
  -- include: active_on_d
order by citizen_id, start_date, grant_id
