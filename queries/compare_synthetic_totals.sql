-- Sammenligning: synthetic comparison municipalities stored as aggregates (the demo database only;
-- table peer_aggregate, one row per municipality and year with full-year figures). Flows (spend)
-- are taken pro rata for the window 1 January to the reference date; stocks (citizens, grants on
-- the reference date) as they are. Same columns as compare_totals plus source.
-- Params: year, day_of_year, days_in_year.
select
    municipality_code,
    cast(spend_dkk * :day_of_year / :days_in_year as double precision) as spend_dkk,
    cast(offer_spend_dkk * :day_of_year / :days_in_year as double precision) as offer_spend_dkk,
    cast(external_spend_dkk * :day_of_year / :days_in_year as double precision)
        as external_spend_dkk,
    offer_spend_citizens,
    citizens_active,
    cast(persons_18_64 as double precision) as persons_18_64,
    staircase_citizens,
    botilbud_citizens,
    external_grants,
    covered_grants,
    external_active_citizens,
    source
from peer_aggregate
where year = :year
order by municipality_code
