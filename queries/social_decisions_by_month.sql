-- Afgørelser pr. måned og art i vinduet (1 January to the reference date), for the monthly chart.
-- Grain: one row per month and kind. Params: municipality, window_start, as_of.
select
    cast(extract(month from decision_date) as integer) as month,
    kind,
    count(*) as decisions,
    count(distinct citizen_id) as citizens
from decision
where municipality_code = :municipality
  and decision_date between cast(:window_start as date) and cast(:as_of as date)
group by cast(extract(month from decision_date) as integer), kind
order by month, kind
