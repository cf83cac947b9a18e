-- Forventet forbrug akkumuleret til hver resterende månedsultimo: the individual-based forecast of
-- kpi_economy_by_offer_type, stopped at each month end after the reference date instead of at
-- 31 December (spend to date, plus each grant's active days from the day after the reference date
-- to the month end at monthly_price x 12 / days_in_year, plus non-grant spend extrapolated by day
-- of year). The December row equals the year-end forecast. offer_type: one offer type code, or ''
-- for all. citizens: distinct citizens whose grants drive the remainder.
-- Grain: one row per month end after the reference date.
-- Params: municipality, year, window_start, as_of, rest_start, days_in_year, day_of_year,
-- offer_type.
with month_ends as (
    select
        cast(make_date(:year, m.month, 1) + interval '1 month' - interval '1 day' as date)
            as month_end
    from (values (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)) as m (month)
),

rest_months as (
    select month_end
    from month_ends
    where month_end > cast(:as_of as date)
),

spend as (
    select
        sum(amount_dkk) as spend_dkk,
        sum(case when grant_id is null then amount_dkk else 0 end) as other_dkk
    -- include: window_expenses
      and (cast(:offer_type as varchar) = '' or offer_type_code = cast(:offer_type as varchar))
),

grant_rest as (
    select
        r.month_end,
        sum(
            g.monthly_price * 12.0 / :days_in_year
            * (least(coalesce(g.end_date, r.month_end), r.month_end)
               - greatest(g.start_date, cast(:rest_start as date)) + 1)
        ) as rest_dkk,
        count(distinct g.citizen_id) as citizens
    from "grant" as g
    join rest_months as r on g.start_date <= r.month_end
    where g.municipality_code = :municipality
      and (g.end_date is null or g.end_date >= cast(:rest_start as date))
      and (cast(:offer_type as varchar) = '' or g.offer_type_code = cast(:offer_type as varchar))
    group by r.month_end
)

select
    r.month_end,
    cast(
        coalesce(s.spend_dkk, 0)
        + coalesce(g.rest_dkk, 0)
        + coalesce(s.other_dkk, 0) / :day_of_year * (r.month_end - cast(:as_of as date))
        as double precision
    ) as forecast_dkk,
    coalesce(g.citizens, 0) as citizens
from rest_months as r
cross join spend as s
left join grant_rest as g on g.month_end = r.month_end
order by r.month_end
