-- Public figures fetched from Danmarks Statistik's StatBank API (python -m cockpit fetch-public),
-- for every municipality (municipality_code 0 = Hele landet), each row with its source and fetch
-- date. A new fetch replaces the tables whole.
create table public_spending (
    municipality_code integer not null,
    year integer not null,
    account_function varchar(20) not null,
    function_name varchar(200) not null,
    dkk_per_inhabitant double precision,
    source varchar(200) not null,
    fetched_at timestamp not null,
    primary key (municipality_code, year, account_function)
);

create table public_population (
    municipality_code integer not null,
    year integer not null,
    persons_18_64 double precision,
    source varchar(200) not null,
    fetched_at timestamp not null,
    primary key (municipality_code, year)
);

create table public_services (
    municipality_code integer not null,
    period varchar(10) not null,
    service varchar(200) not null,
    full_time_services double precision,
    source varchar(200) not null,
    fetched_at timestamp not null,
    primary key (municipality_code, period, service)
);
