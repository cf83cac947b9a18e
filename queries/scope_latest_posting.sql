-- Seneste registrerede dato for kommunen i året (the default reference date), and the latest year
-- with any registration at all (to tell a closed year). Postings when there are any, else the
-- newest of decisions, assessments and performed follow-ups, so a municipality with only FFB data
-- gets a reference date too. Grain: one row. Params: municipality, year.
with dates as (
    select posting_date as d, 1 as economy from expense where municipality_code = :municipality
    union all
    select decision_date, 0 from decision where municipality_code = :municipality
    union all
    select assessed_on, 0 from assessment where municipality_code = :municipality
    union all
    select performed_date, 0 from followup
    where municipality_code = :municipality and performed_date is not null
),

chosen as (
    select d from dates where economy = (select max(economy) from dates)
)

select
    max(case when extract(year from d) = :year then d end) as latest_in_year,
    max(extract(year from d)) as latest_year
from chosen
