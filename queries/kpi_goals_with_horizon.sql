-- Bevillinger med tidsfastsatte mål: grants active on the reference date with at least one goal
-- (same grant_id) that has a target_date / grants active on the date. Grain: one row.
-- Params: municipality, as_of.
select
    cast(sum(case when exists (
        select 1
        from goal as o
        where o.municipality_code = :municipality
          and o.grant_id = g.grant_id
          and o.target_date is not null
    ) then 1 else 0 end) as double precision) / nullif(count(*), 0) as value
from "grant" as g
where g.municipality_code = :municipality
  and g.start_date <= cast(:as_of as date)
  and (g.end_date is null or g.end_date >= cast(:as_of as date))
