-- REGK31 net operating spending per inhabitant on the 5.38 functions, summed per municipality, for
-- the latest fetched year not after the given year (municipality_code 0 = Hele landet).
select
    municipality_code,
    year,
    sum(dkk_per_inhabitant) as dkk_per_inhabitant,
    count(*) as functions,
    max(source) as source,
    max(fetched_at) as fetched_at
from public_spending
where year = (select max(year) from public_spending where year <= :year)
group by municipality_code, year
order by municipality_code
