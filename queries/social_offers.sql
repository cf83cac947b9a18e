-- Tilbud med nøgletal på opgørelsesdatoen: per offer of the municipality, the citizens and grants
-- active on it, places (own offers: occupancy), the sum and median of the active grants' monthly
-- prices, the median monthly price of active grants on the offer's offer type in the whole
-- municipality (for comparison; the offer's own median counts only grants of that type), external
-- grants covered by a valid contract, and spend in the window (expense rows on the offer).
-- Grain: one row per offer. Params: municipality, window_start, as_of.
with active as (
    select g.grant_id, g.citizen_id, g.offer_id, g.offer_type_code, g.monthly_price,
        case when exists (
            select 1
            from contract as c
            where c.municipality_code = g.municipality_code
              and c.grant_id = g.grant_id
              and c.valid_from <= cast(:as_of as date)
              and (c.valid_to is null or c.valid_to >= cast(:as_of as date))
        ) then 1 else 0 end as covered
    from "grant" as g
    where g.municipality_code = :municipality
      -- include: active_on_d
),

per_offer as (
    select
        offer_id,
        count(*) as grants,
        count(distinct citizen_id) as citizens,
        sum(covered) as covered,
        sum(monthly_price) as monthly_price_dkk
    from active
    where offer_id is not null
    group by offer_id
),

offer_median as (
    select
        a.offer_id,
        percentile_cont(0.5) within group (
            order by cast(a.monthly_price as double precision)
        ) as median_monthly_price
    from active as a
    join offer as o on o.municipality_code = :municipality and o.offer_id = a.offer_id
    where a.offer_type_code = o.offer_type_code
    group by a.offer_id
),

type_median as (
    select
        offer_type_code,
        percentile_cont(0.5) within group (
            order by cast(monthly_price as double precision)
        ) as median_monthly_price
    from active
    group by offer_type_code
),

spend as (
    select offer_id, sum(amount_dkk) as spend_dkk
    from expense
    where municipality_code = :municipality
      and posting_date between cast(:window_start as date) and cast(:as_of as date)
      and offer_id is not null
    group by offer_id
)

select
    o.offer_id,
    o.name as offer_name,
    o.owner_type,
    o.offer_type_code,
    coalesce(t.name, o.offer_type_code) as offer_type_name,
    o.places,
    o.location_municipality_code,
    m.name as location_name,
    coalesce(p.citizens, 0) as citizens,
    coalesce(p.grants, 0) as grants,
    coalesce(p.covered, 0) as covered,
    cast(coalesce(p.monthly_price_dkk, 0) as double precision) as monthly_price_dkk,
    cast(om.median_monthly_price as double precision) as median_monthly_price,
    cast(tm.median_monthly_price as double precision) as type_median_monthly_price,
    cast(coalesce(s.spend_dkk, 0) as double precision) as spend_ytd_dkk
from offer as o
left join offer_type as t on t.offer_type_code = o.offer_type_code
left join municipality as m on m.municipality_code = o.location_municipality_code
left join per_offer as p on p.offer_id = o.offer_id
left join offer_median as om on om.offer_id = o.offer_id
left join type_median as tm on tm.offer_type_code = o.offer_type_code
left join spend as s on s.offer_id = o.offer_id
where o.municipality_code = :municipality
order by o.name, o.offer_id
