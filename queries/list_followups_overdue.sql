-- Opfølgninger over tid, one row per grant (the list behind kpi_followups_overdue, same rule):
-- grants active on the reference date whose planned follow-up date has passed with no follow-up of
-- the grant performed on or after it. Citizen-level. Grain: one row per grant.
-- Params: municipality, as_of, citizen_id ('' for every citizen).
with last_followup as (
    select grant_id, max(performed_date) as last_performed
    from followup
    where municipality_code = :municipality
      and performed_date <= cast(:as_of as date)
    group by grant_id
)

select
    g.grant_id,
    g.citizen_id,
    g.offer_type_code,
    coalesce(t.name, g.offer_type_code) as offer_type_name,
    g.offer_id,
    o.name as offer_name,
    g.start_date,
    cast(g.monthly_price as double precision) as monthly_price,
    g.next_followup_date,
    cast(:as_of as date) - g.next_followup_date as days_overdue,
    f.last_performed
from "grant" as g
left join offer_type as t on t.offer_type_code = g.offer_type_code
left join offer as o on o.municipality_code = g.municipality_code and o.offer_id = g.offer_id
left join last_followup as f on f.grant_id = g.grant_id
where g.municipality_code = :municipality
  -- include: active_on_d
  and (cast(:citizen_id as text) = '' or g.citizen_id = :citizen_id)
  and g.next_followup_date < cast(:as_of as date)
  and not exists (
      select 1
      from followup as u
      where u.municipality_code = g.municipality_code
        and u.grant_id = g.grant_id
        and u.performed_date >= g.next_followup_date
  )
order by g.next_followup_date, g.grant_id
