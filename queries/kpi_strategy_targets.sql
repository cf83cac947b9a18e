-- Politiske mål for kommunen og året. Grain: one row per KPI key. Params: municipality, year.
select kpi_key, target_value, adopted_on, note
from strategy_target
where municipality_code = :municipality
  and year = :year
order by kpi_key
