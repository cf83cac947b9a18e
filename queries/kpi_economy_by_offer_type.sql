-- Forbrug år til dato, korrigeret budget og individbaseret forventet regnskab pr. indsatstype.
-- Grain: one row per offer type. The forecast is spend to date, plus each grant's remaining active
-- days at monthly_price x 12 / days_in_year, plus non-grant spend extrapolated by day of year.
-- Params: municipality, year, window_start, as_of, rest_start, year_end, days_in_year, day_of_year.
with spend as (
    select
        offer_type_code,
        sum(amount_dkk) as spend_dkk,
        sum(case when grant_id is null then amount_dkk else 0 end) as other_dkk
    -- include: window_expenses
    group by offer_type_code
),

grant_rest as (
    select
        offer_type_code,
        sum(
            monthly_price * 12.0 / :days_in_year
            * (least(coalesce(end_date, cast(:year_end as date)), cast(:year_end as date))
               - greatest(start_date, cast(:rest_start as date)) + 1)
        ) as rest_dkk
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:year_end as date)
      and (end_date is null or end_date >= cast(:rest_start as date))
    group by offer_type_code
),

budget_year as (
    select offer_type_code, sum(corrected_dkk) as budget_dkk
    from budget
    where municipality_code = :municipality
      and year = :year
    group by offer_type_code
)

select
    t.offer_type_code,
    t.name as offer_type_name,
    t.account_function,
    cast(coalesce(s.spend_dkk, 0) as double precision) as spend_ytd_dkk,
    cast(b.budget_dkk as double precision) as budget_corrected_dkk,
    cast(
        coalesce(s.spend_dkk, 0)
        + coalesce(r.rest_dkk, 0)
        + coalesce(s.other_dkk, 0) / :day_of_year * (:days_in_year - :day_of_year)
        as double precision
    ) as forecast_dkk
from offer_type as t
left join spend as s on s.offer_type_code = t.offer_type_code
left join grant_rest as r on r.offer_type_code = t.offer_type_code
left join budget_year as b on b.offer_type_code = t.offer_type_code
order by t.offer_type_code
