-- Hvad nu hvis: the grants active on the reference date per offer type, the starting point of the
-- multi-year projection: how many citizens and grants, the median monthly price (what a move
-- lever prices each type at), the monthly price of the open-ended grants (which the outflow model
-- thins out), and the year's spend without a grant to date (carried forward per day).
-- Grain: one row per offer type. Params: municipality, window_start, as_of.
with active as (
    select offer_type_code, citizen_id, end_date, cast(monthly_price as double precision) as price
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:as_of as date)
      and (end_date is null or end_date >= cast(:as_of as date))
),

by_type as (
    select
        offer_type_code,
        count(distinct citizen_id) as citizens,
        count(*) as grants,
        percentile_cont(0.5) within group (order by price) as median_monthly_price,
        sum(case when end_date is null then price else 0 end) as open_monthly_dkk,
        sum(case when end_date is null then 1 else 0 end) as open_grants
    from active
    group by offer_type_code
),

other as (
    select offer_type_code, sum(amount_dkk) as other_ytd_dkk
    from expense
    where municipality_code = :municipality
      and grant_id is null
      and posting_date between cast(:window_start as date) and cast(:as_of as date)
    group by offer_type_code
)

select
    t.offer_type_code,
    t.name as offer_type_name,
    coalesce(b.citizens, 0) as citizens,
    coalesce(b.grants, 0) as grants,
    cast(b.median_monthly_price as double precision) as median_monthly_price,
    cast(coalesce(b.open_monthly_dkk, 0) as double precision) as open_monthly_dkk,
    coalesce(b.open_grants, 0) as open_grants,
    cast(coalesce(o.other_ytd_dkk, 0) as double precision) as other_ytd_dkk
from offer_type as t
left join by_type as b on b.offer_type_code = t.offer_type_code
left join other as o on o.offer_type_code = t.offer_type_code
order by t.offer_type_code
