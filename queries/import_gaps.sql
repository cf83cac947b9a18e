-- Hvad en kildeimport (FFB, posteringer, bevillingsudtræk) ikke kunne knytte sammen, fx "312
-- posteringer kunne ikke knyttes til en bevilling". Grain: one row per source and message.
-- Params: municipality.
select source, message, count
from import_gap
where municipality_code = :municipality
order by source, message
