-- Data contract v1 (../shared/spec/data-contract.md) as portable DDL: runs on DuckDB and PostgreSQL.
-- Keys are unique per municipality, so one warehouse can hold many municipalities' extracts.
-- "grant" is a reserved word in SQL and is always quoted.

create table if not exists municipality (
    municipality_code integer primary key,
    name text not null,
    region text not null
);

create table if not exists population (
    municipality_code integer not null,
    year integer not null,
    age_group text not null,
    persons integer not null,
    primary key (municipality_code, year, age_group)
);

create table if not exists offer_type (
    offer_type_code text primary key,
    name text not null,
    paragraph text not null,
    account_function text not null,
    category text not null,
    staircase_step integer
);

create table if not exists offer (
    offer_id text not null,
    municipality_code integer not null,
    name text not null,
    owner_type text not null,
    location_municipality_code integer,
    places integer,
    offer_type_code text not null,
    -- optional (issue 18): the offer on Tilbudsportalen, else matched by name and postcode
    tilbudsportalen_id text,
    postcode integer,
    primary key (municipality_code, offer_id)
);

create table if not exists citizen (
    citizen_id text not null,
    municipality_code integer not null,
    birth_year integer not null,
    target_group text not null,
    primary key (municipality_code, citizen_id)
);

create table if not exists decision (
    decision_id text not null,
    municipality_code integer not null,
    citizen_id text not null,
    offer_type_code text not null,
    application_date date not null,
    decision_date date not null,
    kind text not null,
    outcome text not null,
    decided_by text not null,
    primary key (municipality_code, decision_id)
);

create table if not exists "grant" (
    grant_id text not null,
    municipality_code integer not null,
    citizen_id text not null,
    decision_id text,
    offer_type_code text not null,
    offer_id text,
    start_date date not null,
    end_date date,
    monthly_price numeric(14, 2),
    weekly_hours numeric(8, 2),
    next_followup_date date,
    -- optional (issue 18): the offer the citizen was referred to when choosing another (§ 108)
    referred_offer_id text,
    referred_monthly_price numeric(14, 2),
    primary key (municipality_code, grant_id)
);

create table if not exists contract (
    contract_id text not null,
    municipality_code integer not null,
    grant_id text not null,
    template text not null,
    valid_from date not null,
    valid_to date,
    monthly_price numeric(14, 2) not null,
    has_goals_annex boolean not null,
    renegotiate_by date,
    primary key (municipality_code, contract_id)
);

-- No primary key on expense: at national scale (≈10 million rows) the index would cost more than it
-- protects. The generator makes unique ids and the importer refuses duplicates.
create table if not exists expense (
    expense_id text not null,
    municipality_code integer not null,
    posting_date date not null,
    amount_dkk numeric(14, 2) not null,
    account_function text not null,
    offer_type_code text not null,
    grant_id text,
    citizen_id text,
    offer_id text
);

create table if not exists budget (
    municipality_code integer not null,
    year integer not null,
    offer_type_code text not null,
    original_dkk numeric(16, 2) not null,
    corrected_dkk numeric(16, 2) not null,
    primary key (municipality_code, year, offer_type_code)
);

create table if not exists goal (
    goal_id text not null,
    municipality_code integer not null,
    citizen_id text not null,
    grant_id text,
    theme text not null,
    goal_type text not null,
    baseline_level integer not null,
    target_level integer not null,
    set_on date not null,
    target_date date,
    primary key (municipality_code, goal_id)
);

create table if not exists assessment (
    municipality_code integer not null,
    citizen_id text not null,
    theme text not null,
    assessed_on date not null,
    level integer not null,
    primary key (municipality_code, citizen_id, theme, assessed_on)
);

create table if not exists followup (
    followup_id text not null,
    municipality_code integer not null,
    grant_id text not null,
    planned_date date,
    performed_date date,
    result text,
    primary key (municipality_code, followup_id)
);

create table if not exists strategy_target (
    municipality_code integer not null,
    kpi_key text not null,
    year integer not null,
    target_value double precision not null,
    adopted_on date,
    note text,
    primary key (municipality_code, kpi_key, year)
);

-- Optional tables (issue 18, køb og salg af pladser). A warehouse without them gets every other
-- page, and the features that need them say what to add.
-- Døgnhjul: the support a grant buys by weekday (1 = Monday) and hour, a waking night staff is a row.
create table if not exists support_schedule (
    municipality_code integer not null,
    grant_id text not null,
    valid_from date not null,
    weekday integer not null,
    from_hour integer not null,
    to_hour integer not null,
    staff_ratio numeric(6, 2) not null
);

-- Places in our own offers sold to other municipalities.
create table if not exists place_sale (
    municipality_code integer not null,
    offer_id text not null,
    buyer_municipality_code integer not null,
    start_date date not null,
    end_date date,
    monthly_price numeric(14, 2) not null
);

-- Budgeted occupancy of our own offers.
create table if not exists offer_budget (
    municipality_code integer not null,
    offer_id text not null,
    year integer not null,
    budgeted_places numeric(8, 2) not null,
    primary key (municipality_code, offer_id, year)
);

-- Published rate ranges for the offers we buy (Tilbudsportalen). Optional: without it the cockpit
-- uses the facts it ships (cockpit/market/reference/), and the demo writes synthetic ranges here.
create table if not exists tilbudsportalen_offer (
    municipality_code integer not null,
    tilbudsportalen_id text not null,
    name text not null,
    postcode integer,
    offer_type_code text not null,
    places integer,
    rate_min numeric(14, 2) not null,
    rate_max numeric(14, 2) not null,
    source text not null,
    primary key (municipality_code, tilbudsportalen_id)
);

-- When each table's data was loaded and how fresh it is (Datagrundlag). Written by generator and importer.
create table if not exists data_load (
    municipality_code integer not null,
    table_name text not null,
    loaded_at timestamp not null,
    data_date date,
    source text not null,
    row_count integer not null,
    primary key (municipality_code, table_name)
);

-- What a source import (FFB, ERP postings, grant extract) could not link, counted per municipality
-- and shown on Datagrundlag, e.g. "312 posteringer kunne ikke knyttes til en bevilling".
create table if not exists import_gap (
    municipality_code integer not null,
    source text not null,
    message text not null,
    count integer not null,
    primary key (municipality_code, source, message)
);

-- A bevilling may come without a price (FFB has none): databases made before this was allowed.
alter table "grant" alter column monthly_price drop not null;

-- Optional columns of issue 18 (køb og salg af pladser) in databases made before them.
alter table offer add column if not exists tilbudsportalen_id text;
alter table offer add column if not exists postcode integer;
alter table "grant" add column if not exists referred_offer_id text;
alter table "grant" add column if not exists referred_monthly_price numeric(14, 2);
