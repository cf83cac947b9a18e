-- Styringsoverblik (issue 19): the municipality's own answers to the self-assessment, one row per
-- municipality, assessment year and question (cockpit/selfassessment/questions.csv), with who
-- answered, in which role, and when (ISO UTC text). "Ikke relevant" is stored as an answer; a
-- question never answered has no row.
create table selfassessment_answer (
    municipality_code integer not null,
    year integer not null,
    question_id varchar(20) not null,
    answer varchar(20) not null,
    answered_by varchar(200) not null,
    answered_role varchar(20) not null,
    answered_at varchar(30) not null,
    primary key (municipality_code, year, question_id)
);
