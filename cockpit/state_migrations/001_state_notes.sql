-- The first migration: a small key/value table per municipality for settings the cockpit keeps
-- (for example when public figures were last fetched). Feature tables come in their own files:
-- 010-019 scenarios, 020-029 worklists, 030-039 self-assessment, 040-049 public figures.
create table state_setting (
    municipality_code integer not null,
    setting_key varchar(100) not null,
    setting_value varchar(4000),
    updated_at timestamp not null,
    updated_by varchar(200) not null,
    primary key (municipality_code, setting_key)
);
