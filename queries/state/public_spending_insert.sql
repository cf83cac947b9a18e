insert into public_spending (
    municipality_code, year, account_function, function_name, dkk_per_inhabitant, source, fetched_at
)
values (
    :municipality_code, :year, :account_function, :function_name, :dkk_per_inhabitant, :source,
    :fetched_at
)
