-- Sammenligning pr. indsatstype for the synthetic comparison municipalities (the demo database
-- only; table peer_aggregate_offer_type, full-year figures per municipality, year and offer type),
-- pro rata for the window 1 January to the reference date. Same columns as compare_offer_types.
-- Params: year, day_of_year, days_in_year.
select
    municipality_code,
    offer_type_code,
    cast(spend_dkk * :day_of_year / :days_in_year as double precision) as spend_dkk,
    cast(grant_days * :day_of_year / :days_in_year as double precision) as grant_days,
    citizens
from peer_aggregate_offer_type
where year = :year
order by municipality_code, offer_type_code
