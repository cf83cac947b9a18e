-- Én borgers vurderinger af funktionsniveau pr. tema til og med opgørelsesdatoen (0 ingen .. 4
-- fuldstændig nedsat; lower is better). Citizen-level. Grain: one row per theme and date.
-- Params: municipality, citizen_id, as_of.
select theme, assessed_on, level
from assessment
where municipality_code = :municipality
  and citizen_id = :citizen_id
  and assessed_on <= cast(:as_of as date)
order by theme, assessed_on
