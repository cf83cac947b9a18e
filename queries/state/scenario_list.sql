select scenario_id, name, author, author_role, levers, made_for_year, made_for_as_of, created_at
from scenario
where municipality_code = :municipality_code
order by created_at desc, scenario_id
