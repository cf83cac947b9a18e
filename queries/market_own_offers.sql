-- Our own offers as seller (issue 18, point 3; optional tables place_sale and offer_budget): per own
-- offer with places, on the reference date the places used by our own citizens (active grants) and
-- the places sold to other municipalities (active sales), the budgeted places of the year, and the
-- income from sales from 1 January to the reference date: Σ monthly_price × 12 / 365 × days sold.
-- Grain: one row per own offer with places. Params: municipality, year, window_start, as_of.
with own_use as (
    select offer_id, count(distinct citizen_id) as citizens
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:as_of as date)
      and (end_date is null or end_date >= cast(:as_of as date))
    group by offer_id
),

sold as (
    select
        offer_id,
        sum(
            case
                when start_date <= cast(:as_of as date)
                    and (end_date is null or end_date >= cast(:as_of as date))
                    then 1
                else 0
            end
        ) as sold_places,
        sum(
            case
                when start_date <= cast(:as_of as date)
                    and (end_date is null or end_date >= cast(:window_start as date))
                    then cast(monthly_price as double precision) * 12 / 365
                    * (
                        least(coalesce(end_date, cast(:as_of as date)), cast(:as_of as date))
                        - greatest(start_date, cast(:window_start as date)) + 1
                    )
                else 0
            end
        ) as sales_income
    from place_sale
    where municipality_code = :municipality
    group by offer_id
)

select
    o.offer_id,
    o.name as offer_name,
    o.offer_type_code,
    o.places,
    coalesce(u.citizens, 0) as citizens,
    coalesce(s.sold_places, 0) as sold_places,
    cast(b.budgeted_places as double precision) as budgeted_places,
    coalesce(s.sales_income, 0) as sales_income
from offer as o
left join own_use as u on u.offer_id = o.offer_id
left join sold as s on s.offer_id = o.offer_id
left join offer_budget as b
    on b.municipality_code = o.municipality_code
    and b.offer_id = o.offer_id
    and b.year = :year
where o.municipality_code = :municipality
  and o.owner_type = 'own'
  and o.places is not null
order by o.offer_type_code, o.offer_id
