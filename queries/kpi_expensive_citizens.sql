-- Borgere med årlig udgift over 2 mio. kr.: citizens whose grants active on the reference date
-- add up to more than 2 000 000 kr. a year (monthly_price x 12). Grain: one row. Params:
-- municipality, as_of.
with yearly as (
    select citizen_id, sum(monthly_price * 12) as yearly_dkk
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:as_of as date)
      and (end_date is null or end_date >= cast(:as_of as date))
    group by citizen_id
)

select count(*) as value
from yearly
where yearly_dkk > 2000000
