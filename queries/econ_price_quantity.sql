-- Pris og mængde pr. indsatstype: window spend and grant-days active in the window, the two parts
-- of kpi_unit_cost (unit cost = spend_dkk / grant_days x days_in_year; full-year persons =
-- grant_days / days_in_year). citizens: distinct citizens with a grant of the type active in the
-- window. Grain: one row per offer type with spend or grant-days in the window.
-- Params: municipality, window_start, as_of.
with spend as (
    select offer_type_code, sum(amount_dkk) as spend_dkk
    from expense
    where municipality_code = :municipality
      and posting_date between cast(:window_start as date) and cast(:as_of as date)
    group by offer_type_code
),

grant_days as (
    select
        offer_type_code,
        sum(
            least(coalesce(end_date, cast(:as_of as date)), cast(:as_of as date))
            - greatest(start_date, cast(:window_start as date)) + 1
        ) as grant_days,
        count(distinct citizen_id) as citizens
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:as_of as date)
      and (end_date is null or end_date >= cast(:window_start as date))
    group by offer_type_code
)

select
    coalesce(s.offer_type_code, d.offer_type_code) as offer_type_code,
    cast(coalesce(s.spend_dkk, 0) as double precision) as spend_dkk,
    cast(coalesce(d.grant_days, 0) as double precision) as grant_days,
    coalesce(d.citizens, 0) as citizens
from spend as s
full outer join grant_days as d on d.offer_type_code = s.offer_type_code
order by 1
