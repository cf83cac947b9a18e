-- Borgere med aktiv bevilling på opgørelsesdatoen. Grain: one row. Params: municipality, as_of.
select count(distinct citizen_id) as value
from "grant" as g
where g.municipality_code = :municipality
  -- include: active_on_d
