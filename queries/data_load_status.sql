-- Hvornår hver tabel sidst blev indlæst for kommunen, hvor friske data er, og hvorfra.
-- Grain: one row per table. Params: municipality.
select table_name, loaded_at, data_date, source, row_count
from data_load
where municipality_code = :municipality
order by table_name
