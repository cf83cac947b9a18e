-- Indbyggere i kommunen i året: 18-64-årige and all inhabitants (1 January). Grain: one row.
-- Params: municipality, year.
select
    max(case when age_group = '18-64' then persons end) as persons_18_64,
    max(case when age_group = 'all' then persons end) as persons_all
from population
where municipality_code = :municipality
  and year = :year
