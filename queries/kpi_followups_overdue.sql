-- Opfølgninger over tid: grants active on the reference date whose planned follow-up date has
-- passed with no follow-up of the grant performed on or after it. Grain: one row.
-- Params: municipality, as_of.
select count(*) as value
from "grant" as g
where g.municipality_code = :municipality
  -- include: active_on_d
  and g.next_followup_date < cast(:as_of as date)
  and not exists (
      select 1
      from followup as f
      where f.municipality_code = :municipality
        and f.grant_id = g.grant_id
        and f.performed_date >= g.next_followup_date
  )
