-- Kommuner og år, der er data for: the scope picker's choices. Grain: one row per municipality and
-- year with expenses. Params: none.
select
    m.municipality_code,
    m.name,
    cast(extract(year from e.posting_date) as integer) as year
from municipality as m
join expense as e on e.municipality_code = m.municipality_code
group by m.municipality_code, m.name, cast(extract(year from e.posting_date) as integer)
order by m.name, year
