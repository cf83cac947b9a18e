-- Udgift pr. helårsperson pr. indsatstype: window spend of the type / grant-days active in the
-- window x days_in_year (queries/base/window_spend_and_days.sql). Grain: one row per offer type
-- with spend or grant-days in the window. Params: municipality, window_start, as_of, days_in_year.
with
-- include: window_spend_and_days

select
    coalesce(s.offer_type_code, d.offer_type_code) as key,
    cast(s.spend_dkk as double precision) / nullif(d.grant_days, 0) * :days_in_year as value
from spend as s
full outer join grant_days as d on d.offer_type_code = s.offer_type_code
order by 1
