insert into scenario (
    scenario_id, municipality_code, name, author, author_role, levers, made_for_year,
    made_for_as_of, created_at
)
values (
    :scenario_id, :municipality_code, :scenario_name, :author, :author_role, :levers, :made_for_year,
    :made_for_as_of, :created_at
)
