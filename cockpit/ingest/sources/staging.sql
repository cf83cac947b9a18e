-- Staging for source imports (cockpit/ingest/sources/staging.py), in the cockpit database beside the
-- contract tables and written in the same transaction as the import. Pseudonymised: the citizen is
-- the pseudonym, and body holds only the fields the cockpit reads (no CPR, name or free text).
create table if not exists source_ffb (
    municipality_code integer not null,
    kind text not null,
    staging_key text not null,
    resource_id text not null,
    citizen_id text not null,
    stamp text not null,
    first_seen text not null,
    body text not null,
    primary key (municipality_code, kind, staging_key)
);

create table if not exists source_grant_extract (
    municipality_code integer not null,
    row_no integer not null,
    citizen_id text not null,
    birth_year integer not null,
    offer_type_code text not null,
    offer_id text,
    offer_name text,
    owner_type text not null,
    start_date text not null,
    end_date text,
    monthly_price double precision,
    weekly_hours double precision,
    primary key (municipality_code, row_no)
);
