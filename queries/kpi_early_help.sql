-- Forebyggende forløb afsluttet inden for 6 måneder: SEL82 grants ending in the window, the share
-- that lasted at most 183 days (end_date - start_date). Grain: one row.
-- Params: municipality, window_start, as_of.
select
    cast(sum(case when end_date - start_date <= 183 then 1 else 0 end) as double precision)
    / nullif(count(*), 0) as value
from "grant"
where municipality_code = :municipality
  and offer_type_code = 'SEL82'
  and end_date between cast(:window_start as date) and cast(:as_of as date)
