-- Fremgang og tilbagegang i funktionsniveau fordelt efter tema, indsatstype og tilbud: the
-- (citizen, theme) pairs of kpi_progression (assessed on at least two dates in
-- (as_of - 365, as_of]), with the pairs that improved (latest level lower) and declined (higher).
-- A pair counts under every offer type and offer of its citizen's grants active on the reference
-- date, so those groups can overlap; pairs whose citizen has no active grant appear under themes
-- only. Grain: one row per dimension (theme, offer_type, offer) and group.
-- Params: municipality, as_of, as_of_minus_365.
with recent as (
    select citizen_id, theme, assessed_on, level
    from assessment
    where municipality_code = :municipality
      and assessed_on > cast(:as_of_minus_365 as date)
      and assessed_on <= cast(:as_of as date)
),

pairs as (
    select citizen_id, theme, min(assessed_on) as first_on, max(assessed_on) as last_on
    from recent
    group by citizen_id, theme
    having count(distinct assessed_on) >= 2
),

levels as (
    select
        p.citizen_id,
        p.theme,
        case when l.level < f.level then 1 else 0 end as improved,
        case when l.level > f.level then 1 else 0 end as declined
    from pairs as p
    join recent as f
        on f.citizen_id = p.citizen_id and f.theme = p.theme and f.assessed_on = p.first_on
    join recent as l
        on l.citizen_id = p.citizen_id and l.theme = p.theme and l.assessed_on = p.last_on
),

active as (
    select g.citizen_id, g.offer_type_code, g.offer_id
    from "grant" as g
    where g.municipality_code = :municipality
      and g.start_date <= cast(:as_of as date)
      and (g.end_date is null or g.end_date >= cast(:as_of as date))
),

citizen_offer_types as (
    select distinct a.citizen_id, a.offer_type_code, coalesce(t.name, a.offer_type_code) as name
    from active as a
    left join offer_type as t on t.offer_type_code = a.offer_type_code
),

citizen_offers as (
    select distinct a.citizen_id, a.offer_id, coalesce(o.name, a.offer_id) as name
    from active as a
    left join offer as o on o.municipality_code = :municipality and o.offer_id = a.offer_id
    where a.offer_id is not null
),

grouped as (
    select
        'theme' as dimension,
        theme as group_key,
        theme as group_name,
        citizen_id,
        improved,
        declined
    from levels
    union all
    select 'offer_type', c.offer_type_code, c.name, l.citizen_id, l.improved, l.declined
    from levels as l
    join citizen_offer_types as c on c.citizen_id = l.citizen_id
    union all
    select 'offer', c.offer_id, c.name, l.citizen_id, l.improved, l.declined
    from levels as l
    join citizen_offers as c on c.citizen_id = l.citizen_id
)

select
    dimension,
    group_key,
    group_name,
    count(*) as pairs,
    sum(improved) as improved,
    sum(declined) as declined,
    count(distinct citizen_id) as citizens
from grouped
group by dimension, group_key, group_name
order by dimension, group_key
