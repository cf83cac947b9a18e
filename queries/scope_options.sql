-- Kommuner og år, der er data for: the scope picker's choices. A year counts when a loaded table
-- registers something in it (postings, grant starts, decisions, assessments, follow-ups, goals), so
-- a municipality with only FFB data or only economy gets its years. Budget years count up to the
-- latest year with registrations: overslagsår and planned grant end dates are the future, not
-- years to follow up on. Grain: one row per municipality and year. Params: none.
with activity as (
    select municipality_code, cast(extract(year from posting_date) as integer) as year
    from expense
    union
    select municipality_code, cast(extract(year from start_date) as integer) from "grant"
    union
    select municipality_code, cast(extract(year from decision_date) as integer) from decision
    union
    select municipality_code, cast(extract(year from assessed_on) as integer) from assessment
    union
    select municipality_code, cast(extract(year from performed_date) as integer)
    from followup where performed_date is not null
    union
    select municipality_code, cast(extract(year from set_on) as integer) from goal
),

latest as (
    select municipality_code, max(year) as year from activity group by municipality_code
),

years as (
    select municipality_code, year from activity
    union
    select b.municipality_code, b.year
    from budget as b
    join latest as l on l.municipality_code = b.municipality_code
    where b.year <= l.year
)

select m.municipality_code, m.name, y.year
from municipality as m
join years as y on y.municipality_code = m.municipality_code
group by m.municipality_code, m.name, y.year
order by m.name, y.year
