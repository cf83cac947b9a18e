-- Borgere bag hver gruppe i forbrugsterningen: distinct citizens per offer type, owner type and
-- posting month, and per offer type and month (all_owners = 1): the groups cockpit/cube.py pools
-- small cells within (a group of small cells may be a block of its own when 5 or more citizens
-- lie behind it). owner_type is null when the expense names no offer or an unknown one.
-- Grain: one row per offer type, owner type and month, plus one per offer type and month.
-- Params: municipality, window_start, as_of.
select
    e.offer_type_code,
    o.owner_type,
    cast(extract(month from e.posting_date) as integer) as month,
    cast(grouping(o.owner_type) as integer) as all_owners,
    count(distinct e.citizen_id) as citizens
from expense as e
left join offer as o
    on o.municipality_code = e.municipality_code
    and o.offer_id = e.offer_id
where e.municipality_code = :municipality
  and e.posting_date between cast(:window_start as date) and cast(:as_of as date)
group by grouping sets (
    (e.offer_type_code, o.owner_type, cast(extract(month from e.posting_date) as integer)),
    (e.offer_type_code, cast(extract(month from e.posting_date) as integer))
)
order by month, e.offer_type_code, all_owners, o.owner_type
