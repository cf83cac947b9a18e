-- Kommuner og år, der er data for: the scope picker's choices. A year counts when any loaded table
-- has a date in it (postings, grants, decisions, assessments, follow-ups, goals, budgets), so a
-- municipality with only FFB data or only economy gets its years. Grain: one row per municipality
-- and year. Params: none.
with years as (
    select municipality_code, cast(extract(year from posting_date) as integer) as year
    from expense
    union
    select municipality_code, cast(extract(year from start_date) as integer) from "grant"
    union
    select municipality_code, cast(extract(year from end_date) as integer)
    from "grant" where end_date is not null
    union
    select municipality_code, cast(extract(year from decision_date) as integer) from decision
    union
    select municipality_code, cast(extract(year from assessed_on) as integer) from assessment
    union
    select municipality_code, cast(extract(year from performed_date) as integer)
    from followup where performed_date is not null
    union
    select municipality_code, cast(extract(year from set_on) as integer) from goal
    union
    select municipality_code, year from budget
)

select m.municipality_code, m.name, y.year
from municipality as m
join years as y on y.municipality_code = m.municipality_code
group by m.municipality_code, m.name, y.year
order by m.name, y.year
