-- Kommunens borgere (the citizen register plus anyone with a grant started by the reference date):
-- the citizen picker and the check of a pseudonym in the URL. Each row has the citizen's grants
-- active on the reference date, their monthly price, all grants so far, and the last end date of
-- a grant no longer active, and the municipality's totals (citizens with an active grant, and those
-- whose active grants cost over 2 mio. kr. a year, as kpi_expensive_citizens). Only the `top`
-- dearest rows come back (the picker shows a page, the audit log names only those), or the one
-- citizen asked for. Citizen-level. Grain: one row per citizen.
-- Params: municipality, as_of, citizen_id ('' for every citizen), top.
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
),

per_citizen as (
    select
        i.citizen_id,
        c.birth_year,
        c.target_group,
        coalesce(sum(g.active), 0) as active_grants,
        cast(coalesce(sum(g.active * g.monthly_price), 0) as double precision)
            as active_monthly_price,
        count(g.citizen_id) as grants,
        max(case when g.active = 0 then g.end_date end) as last_ended
    from ids as i
    left join citizen as c on c.municipality_code = :municipality and c.citizen_id = i.citizen_id
    left join grants as g on g.citizen_id = i.citizen_id
    group by i.citizen_id, c.birth_year, c.target_group
),

ranked as (
    select
        p.*,
        sum(case when p.active_grants > 0 then 1 else 0 end) over () as active_citizens,
        sum(case when p.active_monthly_price * 12 > 2000000 then 1 else 0 end) over ()
            as expensive_citizens,
        row_number() over (order by p.active_monthly_price desc, p.citizen_id) as rank_no
    from per_citizen as p
)

select
    citizen_id, birth_year, target_group, active_grants, active_monthly_price, grants,
    last_ended, active_citizens, expensive_citizens
from ranked
where (cast(:citizen_id as text) = '' and rank_no <= :top)
   or citizen_id = :citizen_id
order by rank_no
