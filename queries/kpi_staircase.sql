-- Fordeling på indsatstrappen: citizens with a grant active on the reference date on an offer type
-- with a staircase step, grouped by their highest active step; botilbud when that step belongs to
-- SEL107 or SEL108. Grain: one row per step. Params: municipality, as_of.
with active as (
    select g.citizen_id, t.offer_type_code, t.staircase_step
    from "grant" as g
    join offer_type as t on t.offer_type_code = g.offer_type_code
    where g.municipality_code = :municipality
      and t.staircase_step is not null
      -- include: active_on_d
),

highest as (
    select citizen_id, max(staircase_step) as step
    from active
    group by citizen_id
),

placed as (
    select
        h.citizen_id,
        h.step,
        max(case when a.offer_type_code in ('SEL107', 'SEL108') then 1 else 0 end) as botilbud
    from highest as h
    join active as a on a.citizen_id = h.citizen_id and a.staircase_step = h.step
    group by h.citizen_id, h.step
)

select
    step,
    count(*) as citizens,
    sum(botilbud) as botilbud_citizens
from placed
group by step
order by step
