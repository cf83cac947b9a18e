-- Borgere med årlig udgift over 2 mio. kr., one row per citizen (the list behind
-- kpi_expensive_citizens, same rule): citizens whose grants active on the reference date add up to
-- more than 2 000 000 kr. a year (monthly_price x 12). `since` is the start date of the grant that
-- took the citizen's grants still active over 2 mio. kr. (running sum by start date).
-- Citizen-level. Grain: one row per citizen. Params: municipality, as_of.
with active as (
    select
        citizen_id,
        grant_id,
        start_date,
        cast(monthly_price as double precision) * 12 as yearly_dkk
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:as_of as date)
      and (end_date is null or end_date >= cast(:as_of as date))
),

yearly as (
    select citizen_id, sum(yearly_dkk) as yearly_dkk, count(*) as grants
    from active
    group by citizen_id
    having sum(yearly_dkk) > 2000000
),

running as (
    select
        a.citizen_id,
        a.start_date,
        sum(a.yearly_dkk) over (
            partition by a.citizen_id order by a.start_date
            range between unbounded preceding and current row
        ) as running_dkk
    from active as a
    join yearly as y on y.citizen_id = a.citizen_id
)

select
    y.citizen_id,
    y.yearly_dkk,
    y.yearly_dkk / 12 as monthly_price,
    y.grants,
    min(case when r.running_dkk > 2000000 then r.start_date end) as since
from yearly as y
join running as r on r.citizen_id = y.citizen_id
group by y.citizen_id, y.yearly_dkk, y.grants
order by y.yearly_dkk desc, y.citizen_id
