-- Én borgers udgifter pr. måned og indsatstype de seneste to år: expense rows posted from the first
-- day of the month two years (730 days) before the reference date up to that date.
-- Citizen-level. Grain: one row per year, month and offer type.
-- Params: municipality, citizen_id, as_of, as_of_minus_730.
select
    cast(extract(year from e.posting_date) as integer) as year,
    cast(extract(month from e.posting_date) as integer) as month,
    e.offer_type_code,
    coalesce(t.name, e.offer_type_code) as offer_type_name,
    cast(sum(e.amount_dkk) as double precision) as amount_dkk
from expense as e
left join offer_type as t on t.offer_type_code = e.offer_type_code
where e.municipality_code = :municipality
  and e.citizen_id = :citizen_id
  and e.posting_date >= cast(date_trunc('month', cast(:as_of_minus_730 as date)) as date)
  and e.posting_date <= cast(:as_of as date)
group by cast(extract(year from e.posting_date) as integer),
    cast(extract(month from e.posting_date) as integer),
    e.offer_type_code,
    coalesce(t.name, e.offer_type_code)
order by year, month, e.offer_type_code
