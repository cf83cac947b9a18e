-- Sammenligning pr. indsatstype, for every municipality in the database at once: window spend,
-- grant-days in the window (full-year persons = grant-days / days in the year) and the distinct
-- citizens behind them (for small-number suppression). Grain: one row per municipality and offer
-- type with spend or grant-days in the window. Params: window_start, as_of.
with spend as (
    select municipality_code, offer_type_code, sum(amount_dkk) as spend_dkk
    from expense
    where posting_date between cast(:window_start as date) and cast(:as_of as date)
    group by municipality_code, offer_type_code
),

grant_days as (
    select
        municipality_code,
        offer_type_code,
        sum(
            least(coalesce(end_date, cast(:as_of as date)), cast(:as_of as date))
            - greatest(start_date, cast(:window_start as date)) + 1
        ) as grant_days,
        count(distinct citizen_id) as citizens
    from "grant"
    where start_date <= cast(:as_of as date)
      and (end_date is null or end_date >= cast(:window_start as date))
    group by municipality_code, offer_type_code
)

select
    coalesce(s.municipality_code, d.municipality_code) as municipality_code,
    coalesce(s.offer_type_code, d.offer_type_code) as offer_type_code,
    cast(coalesce(s.spend_dkk, 0) as double precision) as spend_dkk,
    cast(coalesce(d.grant_days, 0) as double precision) as grant_days,
    coalesce(d.citizens, 0) as citizens
from spend as s
full outer join grant_days as d
    on d.municipality_code = s.municipality_code
    and d.offer_type_code = s.offer_type_code
order by 1, 2
