-- A grant (alias g) active on the reference date: started on or before it and not ended before it.
-- The predicate of every "active grant" in the cockpit, written once; included by db.sql where a
-- query says `-- include: active_on_d`. Params: as_of.
and g.start_date <= cast(:as_of as date)
and (g.end_date is null or g.end_date >= cast(:as_of as date))
