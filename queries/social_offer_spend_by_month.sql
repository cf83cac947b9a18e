-- Forbrug pr. måned på ét tilbud de seneste to år: expense rows on the offer posted from the first
-- day of the month two years (730 days) before the reference date up to that date.
-- Grain: one row per year and month. Params: municipality, offer_id, as_of, as_of_minus_730.
select
    cast(extract(year from posting_date) as integer) as year,
    cast(extract(month from posting_date) as integer) as month,
    cast(sum(amount_dkk) as double precision) as amount_dkk,
    count(distinct citizen_id) as citizens
from expense
where municipality_code = :municipality
  and offer_id = :offer_id
  and posting_date >= cast(date_trunc('month', cast(:as_of_minus_730 as date)) as date)
  and posting_date <= cast(:as_of as date)
group by cast(extract(year from posting_date) as integer),
    cast(extract(month from posting_date) as integer)
order by year, month
