-- Borgergrundlag pr. indsatstype: distinct citizens behind an offer type's economy this year
-- (a citizen-linked expense of the type in the window, or a grant of the type active on some day
-- from 1 January to 31 December), for suppressing small numbers in kpi_economy_by_offer_type and
-- unit_cost. Grain: one row per offer type. Params: municipality, window_start, as_of, year_end.
with linked as (
    select offer_type_code, citizen_id
    -- include: window_expenses
      and citizen_id is not null
    union
    select offer_type_code, citizen_id
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:year_end as date)
      and (end_date is null or end_date >= cast(:window_start as date))
)

select
    t.offer_type_code,
    count(distinct l.citizen_id) as citizens
from offer_type as t
left join linked as l on l.offer_type_code = t.offer_type_code
group by t.offer_type_code
order by t.offer_type_code
