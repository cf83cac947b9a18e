-- Pris og mængde pr. indsatstype: window spend and grant-days active in the window, the two parts
-- of kpi_unit_cost (queries/base/window_spend_and_days.sql; unit cost = spend_dkk / grant_days x
-- days_in_year; full-year persons = grant_days / days_in_year). citizens: distinct citizens with a
-- grant of the type active in the window. Grain: one row per offer type with spend or grant-days
-- in the window. Params: municipality, window_start, as_of.
with
-- include: window_spend_and_days

select
    coalesce(s.offer_type_code, d.offer_type_code) as offer_type_code,
    cast(coalesce(s.spend_dkk, 0) as double precision) as spend_dkk,
    cast(coalesce(d.grant_days, 0) as double precision) as grant_days,
    coalesce(d.citizens, 0) as citizens
from spend as s
full outer join grant_days as d on d.offer_type_code = s.offer_type_code
order by 1
