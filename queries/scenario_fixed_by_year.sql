-- Hvad nu hvis: what the grants active on the reference date that have an end date cost in each of
-- the three years after the scope year (overslagsårene): monthly_price x 12 / the year's days x
-- the days of that year the grant is still active. They run to their end date; the outflow model
-- does not touch them. Grain: one row per offer type and year that has such a cost.
-- Params: municipality, as_of, year.
with years as (
    select
        cast(:year as integer) + n.k as year,
        make_date(cast(:year as integer) + n.k, 1, 1) as first_day,
        make_date(cast(:year as integer) + n.k, 12, 31) as last_day
    from (values (1), (2), (3)) as n (k)
)

select
    g.offer_type_code,
    y.year,
    count(distinct g.citizen_id) as citizens,
    cast(sum(
        cast(g.monthly_price as double precision) * 12.0 / (y.last_day - y.first_day + 1)
        * (least(g.end_date, y.last_day) - y.first_day + 1)
    ) as double precision) as fixed_dkk
from "grant" as g
join years as y on g.end_date >= y.first_day
where g.municipality_code = :municipality
  and g.start_date <= cast(:as_of as date)
  and g.end_date is not null
  and g.end_date >= cast(:as_of as date)
group by g.offer_type_code, y.year
order by g.offer_type_code, y.year
