-- Progression pairs, written once: (citizen, theme) pairs assessed on at least two dates in
-- (as_of - 365, as_of], with whether the latest level is better (lower) or worse (higher) than the
-- first. CTEs: recent, pairs, levels. Params: municipality, as_of, as_of_minus_365.
recent as (
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
)
