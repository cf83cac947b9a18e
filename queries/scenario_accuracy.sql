-- Prognosens træfsikkerhed: for each closed year (31 December on or before the reference date)
-- with postings, the individual-based year-end forecast (forecast_year_end, kpis.md) as it would
-- have been computed at the end of each month from January to November, and the year's actual
-- spend. Computed on today's data: the data hold no registration dates, so grants and postings
-- registered late are already known to the early forecasts.
-- Grain: one row per closed year and month. Params: municipality, as_of.
with years as (
    select distinct cast(extract(year from posting_date) as integer) as year
    from expense
    where municipality_code = :municipality
      and posting_date <= cast(:as_of as date)
),

closed as (
    select
        year,
        make_date(year, 1, 1) as first_day,
        make_date(year, 12, 31) as last_day,
        make_date(year, 12, 31) - make_date(year, 1, 1) + 1 as days_in_year
    from years
    where make_date(year, 12, 31) <= cast(:as_of as date)
),

points as (
    select
        c.year,
        m.month,
        c.first_day,
        c.last_day,
        c.days_in_year,
        cast(make_date(c.year, m.month, 1) + interval '1 month' - interval '1 day' as date)
            as month_end
    from closed as c
    cross join (values (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11)) as m (month)
),

monthly_spend as (
    select
        cast(extract(year from e.posting_date) as integer) as year,
        cast(extract(month from e.posting_date) as integer) as month,
        sum(e.amount_dkk) as spend_dkk,
        sum(case when e.grant_id is null then e.amount_dkk else 0 end) as other_dkk,
        count(distinct e.citizen_id) as citizens
    from expense as e
    join closed as c
        on e.posting_date between c.first_day and c.last_day
    where e.municipality_code = :municipality
    group by 1, 2
),

to_date as (
    select
        p.year,
        p.month,
        sum(s.spend_dkk) as spend_dkk,
        sum(s.other_dkk) as other_dkk
    from points as p
    join monthly_spend as s on s.year = p.year and s.month <= p.month
    group by p.year, p.month
),

actual as (
    select year, sum(spend_dkk) as actual_dkk
    from monthly_spend
    group by year
),

year_citizens as (
    select cast(extract(year from posting_date) as integer) as year,
        count(distinct citizen_id) as citizens
    from expense
    where municipality_code = :municipality
      and posting_date <= cast(:as_of as date)
    group by 1
),

rest as (
    select
        p.year,
        p.month,
        sum(
            cast(g.monthly_price as double precision) * 12.0 / p.days_in_year
            * (least(coalesce(g.end_date, p.last_day), p.last_day)
               - greatest(g.start_date - 1, p.month_end))
        ) as rest_dkk
    from points as p
    join "grant" as g
        on g.start_date <= p.last_day
        and (g.end_date is null or g.end_date > p.month_end)
    where g.municipality_code = :municipality
    group by p.year, p.month
)

select
    p.year,
    p.month,
    p.month_end,
    cast(
        coalesce(t.spend_dkk, 0)
        + coalesce(r.rest_dkk, 0)
        + coalesce(t.other_dkk, 0) / (p.month_end - p.first_day + 1)
        * (p.days_in_year - (p.month_end - p.first_day + 1))
        as double precision
    ) as forecast_dkk,
    cast(a.actual_dkk as double precision) as actual_dkk,
    coalesce(y.citizens, 0) as citizens
from points as p
left join to_date as t on t.year = p.year and t.month = p.month
left join rest as r on r.year = p.year and r.month = p.month
left join actual as a on a.year = p.year
left join year_citizens as y on y.year = p.year
order by p.year, p.month
