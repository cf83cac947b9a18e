select
    scenario_id, municipality_code, name, author, author_role, levers, made_for_year,
    made_for_as_of, created_at
from scenario
where scenario_id = :scenario_id
