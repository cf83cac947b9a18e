insert into public_population (municipality_code, year, persons_18_64, source, fetched_at)
values (:municipality_code, :year, :persons_18_64, :source, :fetched_at)
