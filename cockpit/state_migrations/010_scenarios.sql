-- Saved scenarios (Hvad nu hvis, issue 15): name, author, the levers as JSON (cockpit/scenario/
-- levers.py Levers.to_json) and when it was made, per municipality. The scope it was made under is
-- kept for reference; a reopened scenario applies its levers to the scope being viewed.
create table scenario (
    scenario_id varchar(32) primary key,
    municipality_code integer not null,
    name varchar(200) not null,
    author varchar(200) not null,
    author_role varchar(20) not null,
    levers varchar(8000) not null,
    made_for_year integer not null,
    made_for_as_of date not null,
    created_at timestamp not null
);
create index scenario_by_municipality on scenario (municipality_code, created_at)
