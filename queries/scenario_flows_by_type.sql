-- Hvad nu hvis: the outflow and inflow model per offer type over the 36 whole months up to the
-- reference date (flow_start = the first day of the first of them, flow_end = the last day of the
-- last). Outflow: for each month, of the grants active on its first day, the share whose end_date
-- falls in that month; outflow_rate is the average of those shares over the months that had active
-- grants. Inflow: grants starting in the 36 months, per month (new_grants / 36), and the median
-- monthly price of those new grants. Grain: one row per offer type.
-- Params: municipality, flow_start, flow_end.
with months as (
    select
        cast(cast(:flow_start as date) + interval '1 month' * n.k as date) as month_start,
        cast(
            cast(:flow_start as date) + interval '1 month' * (n.k + 1) - interval '1 day' as date
        ) as month_end
    from (
        values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15),
        (16), (17), (18), (19), (20), (21), (22), (23), (24), (25), (26), (27), (28), (29), (30),
        (31), (32), (33), (34), (35)
    ) as n (k)
),

grants as (
    select offer_type_code, citizen_id, start_date, end_date, monthly_price
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:flow_end as date)
      and (end_date is null or end_date >= cast(:flow_start as date))
),

monthly as (
    select
        g.offer_type_code,
        m.month_start,
        count(*) as active_at_start,
        sum(case when g.end_date <= m.month_end then 1 else 0 end) as ended
    from grants as g
    join months as m
        on g.start_date <= m.month_start
        and (g.end_date is null or g.end_date >= m.month_start)
    group by g.offer_type_code, m.month_start
),

outflow as (
    select offer_type_code, avg(cast(ended as double precision) / active_at_start) as outflow_rate
    from monthly
    group by offer_type_code
),

inflow as (
    select
        offer_type_code,
        count(*) as new_grants,
        percentile_cont(0.5) within group (
            order by cast(monthly_price as double precision)
        ) as new_median_monthly_price
    from grants
    where start_date >= cast(:flow_start as date)
    group by offer_type_code
),

people as (
    select offer_type_code, count(distinct citizen_id) as citizens
    from grants
    group by offer_type_code
)

select
    t.offer_type_code,
    coalesce(p.citizens, 0) as citizens,
    cast(coalesce(o.outflow_rate, 0) as double precision) as outflow_rate,
    coalesce(i.new_grants, 0) as new_grants,
    cast(coalesce(i.new_grants, 0) / 36.0 as double precision) as inflow_per_month,
    cast(i.new_median_monthly_price as double precision) as new_median_monthly_price
from offer_type as t
left join people as p on p.offer_type_code = t.offer_type_code
left join outflow as o on o.offer_type_code = t.offer_type_code
left join inflow as i on i.offer_type_code = t.offer_type_code
order by t.offer_type_code
