-- Borgere med aktiv bevilling på opgørelsesdatoen. Grain: one row. Params: municipality, as_of.
select count(distinct citizen_id) as value
from "grant"
where municipality_code = :municipality
  and start_date <= cast(:as_of as date)
  and (end_date is null or end_date >= cast(:as_of as date))
