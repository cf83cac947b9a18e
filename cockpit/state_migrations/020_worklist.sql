-- Worklists (issue 17): one row per item the cockpit has listed, per municipality, kind and stable
-- key (grant id, citizen pseudonym or contract id). The data judge an item open or resolved at each
-- data date (since, first/last seen, resolved_on, prices); the user sets status, responsible,
-- due date and note. `version` counts the user's changes (optimistic concurrency: an update names
-- the version it was based on). Dates are ISO text (YYYY-MM-DD), times ISO UTC text, so SQLite and
-- PostgreSQL order and compare them alike.
create table worklist_item (
    municipality_code integer not null,
    kind varchar(40) not null,
    item_key varchar(100) not null,
    citizen_id varchar(100),
    since varchar(10),
    first_seen_on varchar(10),
    last_seen_on varchar(10),
    price_before double precision,
    resolved_on varchar(10),
    price_after double precision,
    status varchar(20) not null default 'new',
    responsible varchar(200),
    due_date varchar(10),
    note varchar(4000),
    note_sha256 varchar(64),
    acted_at varchar(30),
    version integer not null default 0,
    updated_at varchar(30),
    updated_by varchar(200),
    primary key (municipality_code, kind, item_key)
);

-- Every version of every note (for the leder role only; never in the audit log).
create table worklist_note (
    municipality_code integer not null,
    kind varchar(40) not null,
    item_key varchar(100) not null,
    version integer not null,
    note varchar(4000),
    note_sha256 varchar(64),
    written_at varchar(30) not null,
    written_by varchar(200) not null,
    primary key (municipality_code, kind, item_key, version)
);
