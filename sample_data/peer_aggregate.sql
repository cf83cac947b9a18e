-- The demo database's synthetic comparison municipalities, as aggregates only (no citizen rows):
-- full-year figures per municipality and year, in the columns of queries/compare_totals.sql and
-- compare_offer_types.sql. Written by sample_data/generate.py (demo), read by the Sammenligning
-- page where the tables exist. Labelled by `source`.
create table if not exists peer_aggregate (
    municipality_code integer not null,
    year integer not null,
    spend_dkk double precision not null,
    offer_spend_dkk double precision not null,
    external_spend_dkk double precision not null,
    offer_spend_citizens integer not null,
    citizens_active integer not null,
    persons_18_64 double precision,
    staircase_citizens integer not null,
    botilbud_citizens integer not null,
    external_grants integer not null,
    covered_grants integer not null,
    external_active_citizens integer not null,
    source text not null,
    primary key (municipality_code, year)
);

create table if not exists peer_aggregate_offer_type (
    municipality_code integer not null,
    year integer not null,
    offer_type_code text not null,
    spend_dkk double precision not null,
    grant_days double precision not null,
    citizens integer not null,
    primary key (municipality_code, year, offer_type_code)
)
