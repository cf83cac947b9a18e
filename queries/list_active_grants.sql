-- Every grant active on the reference date with its citizen, start and monthly price: what a
-- resolved adjustment signal's citizen receives after the change (worklists, money realised).
-- Citizen-level. Grain: one row per grant. Params: municipality, as_of.
select
    grant_id,
    citizen_id,
    offer_type_code,
    start_date,
    cast(monthly_price as double precision) as monthly_price
from "grant"
where municipality_code = :municipality
  and start_date <= cast(:as_of as date)
  and (end_date is null or end_date >= cast(:as_of as date))
order by citizen_id, start_date, grant_id
