-- Borgere med årlig udgift over 2 mio. kr.: citizens whose grants active on the reference date
-- add up to more than 2 000 000 kr. a year (monthly_price x 12). Grain: one row. Params:
-- municipality, as_of.
with yearly as (
    select citizen_id, sum(monthly_price * 12) as yearly_dkk
    from "grant" as g
    where g.municipality_code = :municipality
      -- include: active_on_d
    group by citizen_id
)

select count(*) as value
from yearly
where yearly_dkk > 2000000
