-- Datagrundlag: citizens with an active grant on the reference date, how many were assessed in the
-- last year, and assessments per active citizen in that year. Grain: one row.
-- Params: municipality, as_of, as_of_minus_365.
with active as (
    select distinct citizen_id
    from "grant" as g
    where g.municipality_code = :municipality
      -- include: active_on_d
),

recent as (
    select citizen_id, count(*) as assessments
    from assessment
    where municipality_code = :municipality
      and assessed_on > cast(:as_of_minus_365 as date)
      and assessed_on <= cast(:as_of as date)
    group by citizen_id
)

select
    count(*) as citizens_active,
    sum(case when r.citizen_id is not null then 1 else 0 end) as citizens_assessed,
    cast(coalesce(sum(r.assessments), 0) as double precision) / nullif(count(*), 0)
        as assessments_per_citizen
from active as a
left join recent as r on r.citizen_id = a.citizen_id
