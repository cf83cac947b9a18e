-- Borgergrundlag for nøgletallene: for each group of KPIs, how many distinct citizens lie behind
-- the value (its denominator), so a role without citizen access gets "<5" / "–" when 1-4 citizens
-- lie behind a number (cockpit/suppress.py; each KPI's citizen_basis in cockpit/metrics/registry.py).
-- Grain: one row. Params: municipality, window_start, as_of, year_end, as_of_minus_730,
-- as_of_minus_365.
with window_spend as (
    select e.citizen_id, e.offer_id
    from expense as e
    where e.municipality_code = :municipality
      and e.posting_date between cast(:window_start as date) and cast(:as_of as date)
      and e.citizen_id is not null
),

year_grants as (
    select g.citizen_id
    from "grant" as g
    where g.municipality_code = :municipality
      and g.start_date <= cast(:year_end as date)
      and (g.end_date is null or g.end_date >= cast(:window_start as date))
),

economy as (
    select citizen_id from window_spend
    union
    select citizen_id from year_grants
),

active as (
    select g.grant_id, g.citizen_id, g.offer_id, g.start_date
    from "grant" as g
    where g.municipality_code = :municipality
      -- include: active_on_d
),

external_active as (
    select a.citizen_id
    from active as a
    join offer as o
        on o.municipality_code = :municipality
        and o.offer_id = a.offer_id
    where o.owner_type <> 'own'
),

contract_citizens as (
    select g.citizen_id
    from contract as c
    join "grant" as g
        on g.municipality_code = c.municipality_code
        and g.grant_id = c.grant_id
    where c.municipality_code = :municipality
      and c.valid_from <= cast(:as_of as date)
      and (c.valid_to is null or c.valid_to >= cast(:as_of as date))
),

window_decisions as (
    select d.citizen_id, d.kind, d.outcome, t.category
    from decision as d
    left join offer_type as t on t.offer_type_code = d.offer_type_code
    where d.municipality_code = :municipality
      and d.decision_date between cast(:window_start as date) and cast(:as_of as date)
),

-- include: progression_pairs

select
    (select count(distinct citizen_id) from economy) as economy_citizens,
    (select count(distinct citizen_id) from window_spend) as spend_citizens,
    (select count(distinct citizen_id) from window_spend where offer_id is not null)
        as external_spend_citizens,
    (select count(distinct citizen_id) from external_active) as external_active_citizens,
    (select count(distinct citizen_id) from contract_citizens) as contract_citizens,
    (select count(distinct citizen_id) from active) as active_citizens,
    (select count(distinct citizen_id) from active
        where start_date <= cast(:as_of_minus_730 as date)) as old_grant_citizens,
    (select count(distinct citizen_id) from window_decisions) as decision_citizens,
    (select count(distinct citizen_id) from window_decisions where kind = 'new')
        as new_decision_citizens,
    (select count(distinct citizen_id) from window_decisions
        where kind = 'new' and outcome in ('granted', 'rejected')) as decided_new_citizens,
    (select count(distinct citizen_id) from window_decisions where category = 'bolig')
        as housing_decision_citizens,
    (select count(distinct citizen_id) from pairs) as progression_citizens,
    (select count(distinct citizen_id) from goal
        where municipality_code = :municipality
          and target_date between cast(:window_start as date) and cast(:as_of as date))
        as goal_citizens,
    (select count(distinct citizen_id) from "grant"
        where municipality_code = :municipality
          and offer_type_code = 'SEL82'
          and end_date between cast(:window_start as date) and cast(:as_of as date))
        as early_help_citizens
