-- Whether the grant (alias g) is covered by a contract valid on the reference date: the test of
-- every "covered by a contract" in the cockpit, written once; included by db.sql where a query
-- says `-- include: valid_contract_on_d`. Params: as_of.
exists (
    select 1
    from contract as c
    where c.municipality_code = g.municipality_code
      and c.grant_id = g.grant_id
      and c.valid_from <= cast(:as_of as date)
      and (c.valid_to is null or c.valid_to >= cast(:as_of as date))
)
