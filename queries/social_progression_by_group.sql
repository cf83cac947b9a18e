-- Fremgang og tilbagegang i funktionsniveau fordelt efter tema, indsatstype og tilbud: the
-- (citizen, theme) pairs of queries/base/progression_pairs.sql, with the pairs that improved
-- (latest level lower) and declined (higher); the KPIs progression_share and decline_share are
-- its theme rows added up (cockpit/metrics/registry.py).
-- A pair counts under every offer type and offer of its citizen's grants active on the reference
-- date, so those groups can overlap; pairs whose citizen has no active grant appear under themes
-- only. Grain: one row per dimension (theme, offer_type, offer) and group.
-- Params: municipality, as_of, as_of_minus_365.
with
-- include: progression_pairs,

active as (
    select g.citizen_id, g.offer_type_code, g.offer_id
    from "grant" as g
    where g.municipality_code = :municipality
      -- include: active_on_d
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
