-- Døgnhjul (optional table support_schedule, issue 18): every version of the weekday × hour
-- schedule of one citizen's grants, or of every citizen's ('' for all). Citizen-level.
-- Grain: one row per grant, version (valid_from), weekday and time band.
-- Params: municipality, citizen_id.
select
    s.grant_id,
    g.citizen_id,
    s.valid_from,
    s.weekday,
    s.from_hour,
    s.to_hour,
    cast(s.staff_ratio as double precision) as staff_ratio
from support_schedule as s
join "grant" as g
    on g.municipality_code = s.municipality_code
    and g.grant_id = s.grant_id
where s.municipality_code = :municipality
  and (cast(:citizen_id as text) = '' or g.citizen_id = :citizen_id)
order by s.grant_id, s.valid_from, s.weekday, s.from_hour
