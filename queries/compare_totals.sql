-- Sammenligning: the whole area per municipality, for every municipality in the database at once
-- (one grouped query, never the KPI computation once per municipality). Grain: one row per
-- municipality with spend in the window or a grant active on the reference date. Only counts and
-- sums leave the database: no citizen row crosses municipalities.
-- Params: year, window_start, as_of.
with window_spend as (
    select
        e.municipality_code,
        sum(e.amount_dkk) as spend_dkk,
        sum(case when e.offer_id is not null then e.amount_dkk else 0 end) as offer_spend_dkk,
        sum(case when o.owner_type <> 'own' then e.amount_dkk else 0 end) as external_spend_dkk,
        count(distinct case when e.offer_id is not null then e.citizen_id end)
            as offer_spend_citizens
    from expense as e
    left join offer as o
        on o.municipality_code = e.municipality_code
        and o.offer_id = e.offer_id
    where e.posting_date between cast(:window_start as date) and cast(:as_of as date)
    group by e.municipality_code
),

active as (
    select g.municipality_code, g.grant_id, g.citizen_id, g.offer_id, g.offer_type_code
    from "grant" as g
    where g.start_date <= cast(:as_of as date)
      and (g.end_date is null or g.end_date >= cast(:as_of as date))
),

active_citizens as (
    select municipality_code, count(distinct citizen_id) as citizens_active
    from active
    group by municipality_code
),

stair as (
    select a.municipality_code, a.citizen_id, a.offer_type_code, t.staircase_step
    from active as a
    join offer_type as t on t.offer_type_code = a.offer_type_code
    where t.staircase_step is not null
),

highest as (
    select municipality_code, citizen_id, max(staircase_step) as step
    from stair
    group by municipality_code, citizen_id
),

placed as (
    select
        h.municipality_code,
        h.citizen_id,
        max(case when s.offer_type_code in ('SEL107', 'SEL108') then 1 else 0 end) as botilbud
    from highest as h
    join stair as s
        on s.municipality_code = h.municipality_code
        and s.citizen_id = h.citizen_id
        and s.staircase_step = h.step
    group by h.municipality_code, h.citizen_id
),

staircase as (
    select
        municipality_code,
        count(*) as staircase_citizens,
        sum(botilbud) as botilbud_citizens
    from placed
    group by municipality_code
),

external_active as (
    select
        a.municipality_code,
        a.citizen_id,
        case when exists (
            select 1
            from contract as c
            where c.municipality_code = a.municipality_code
              and c.grant_id = a.grant_id
              and c.valid_from <= cast(:as_of as date)
              and (c.valid_to is null or c.valid_to >= cast(:as_of as date))
        ) then 1 else 0 end as covered
    from active as a
    join offer as o
        on o.municipality_code = a.municipality_code
        and o.offer_id = a.offer_id
    where o.owner_type <> 'own'
),

contracts as (
    select
        municipality_code,
        count(*) as external_grants,
        sum(covered) as covered_grants,
        count(distinct citizen_id) as external_active_citizens
    from external_active
    group by municipality_code
),

people as (
    select
        municipality_code,
        coalesce(
            max(case when age_group = '18-64' then persons end),
            max(case when age_group = 'all' then persons end)
        ) as persons_18_64
    from population
    where year = :year
    group by municipality_code
),

places as (
    select municipality_code from window_spend
    union
    select municipality_code from active_citizens
)

select
    p.municipality_code,
    cast(coalesce(w.spend_dkk, 0) as double precision) as spend_dkk,
    cast(coalesce(w.offer_spend_dkk, 0) as double precision) as offer_spend_dkk,
    cast(coalesce(w.external_spend_dkk, 0) as double precision) as external_spend_dkk,
    coalesce(w.offer_spend_citizens, 0) as offer_spend_citizens,
    coalesce(ac.citizens_active, 0) as citizens_active,
    cast(pe.persons_18_64 as double precision) as persons_18_64,
    coalesce(s.staircase_citizens, 0) as staircase_citizens,
    coalesce(s.botilbud_citizens, 0) as botilbud_citizens,
    coalesce(c.external_grants, 0) as external_grants,
    coalesce(c.covered_grants, 0) as covered_grants,
    coalesce(c.external_active_citizens, 0) as external_active_citizens
from places as p
left join window_spend as w on w.municipality_code = p.municipality_code
left join active_citizens as ac on ac.municipality_code = p.municipality_code
left join staircase as s on s.municipality_code = p.municipality_code
left join contracts as c on c.municipality_code = p.municipality_code
left join people as pe on pe.municipality_code = p.municipality_code
order by p.municipality_code
