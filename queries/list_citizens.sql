-- Kommunens borgere (the citizen register plus anyone with a grant started by the reference date):
-- the citizen picker and the check of a pseudonym in the URL. Each row has the citizen's grants
-- active on the reference date, their monthly price, all grants so far, and the last end date of
-- a grant no longer active. Citizen-level. Grain: one row per citizen. Params: municipality, as_of.
with grants as (
    select
        citizen_id,
        monthly_price,
        case
            when end_date is null or end_date >= cast(:as_of as date) then 1 else 0
        end as active,
        end_date
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:as_of as date)
),

ids as (
    select citizen_id from citizen where municipality_code = :municipality
    union
    select citizen_id from grants
)

select
    i.citizen_id,
    c.birth_year,
    c.target_group,
    coalesce(sum(g.active), 0) as active_grants,
    cast(coalesce(sum(g.active * g.monthly_price), 0) as double precision) as active_monthly_price,
    count(g.citizen_id) as grants,
    max(case when g.active = 0 then g.end_date end) as last_ended
from ids as i
left join citizen as c on c.municipality_code = :municipality and c.citizen_id = i.citizen_id
left join grants as g on g.citizen_id = i.citizen_id
group by i.citizen_id, c.birth_year, c.target_group
order by active_monthly_price desc, i.citizen_id
