-- Udgift pr. helårsperson pr. indsatstype: window spend of the type / grant-days active in the
-- window x days_in_year. Grain: one row per offer type with spend or grant-days in the window.
-- Params: municipality, window_start, as_of, days_in_year.
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
        ) as active_days
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:as_of as date)
      and (end_date is null or end_date >= cast(:window_start as date))
    group by offer_type_code
)

select
    coalesce(s.offer_type_code, d.offer_type_code) as key,
    cast(s.spend_dkk as double precision) / nullif(d.active_days, 0) * :days_in_year as value
from spend as s
full outer join grant_days as d on d.offer_type_code = s.offer_type_code
order by 1
