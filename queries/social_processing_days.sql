-- Sagsbehandlingstid for nye ansøgninger afgjort i vinduet: how many took each number of days from
-- application to decision (the distribution behind processing_days_median). Grain: one row per
-- number of days. Params: municipality, window_start, as_of.
select
    decision_date - application_date as processing_days,
    count(*) as decisions,
    count(distinct citizen_id) as citizens
from decision
where municipality_code = :municipality
  and kind = 'new'
  and decision_date between cast(:window_start as date) and cast(:as_of as date)
group by decision_date - application_date
order by processing_days
