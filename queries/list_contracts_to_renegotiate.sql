-- Kontrakter til genforhandling inden 90 dage, one row per contract (the list behind
-- kpi_contracts.contracts_to_renegotiate, same rule): contracts valid on the reference date whose
-- agreed renegotiation date is at most 90 days after it (overdue ones included), with the grant's
-- citizen, offer and price next to the contract's. Citizen-level. Grain: one row per contract.
-- Params: municipality, as_of, as_of_plus_90.
select
    c.contract_id,
    c.grant_id,
    g.citizen_id,
    g.offer_id,
    o.name as offer_name,
    o.owner_type,
    g.offer_type_code,
    coalesce(t.name, g.offer_type_code) as offer_type_name,
    c.template,
    c.valid_from,
    c.valid_to,
    c.renegotiate_by,
    c.renegotiate_by - cast(:as_of as date) as days_to_renegotiate,
    cast(c.monthly_price as double precision) as contract_monthly_price,
    cast(g.monthly_price as double precision) as grant_monthly_price,
    c.has_goals_annex
from contract as c
left join "grant" as g on g.municipality_code = c.municipality_code and g.grant_id = c.grant_id
left join offer as o on o.municipality_code = g.municipality_code and o.offer_id = g.offer_id
left join offer_type as t on t.offer_type_code = g.offer_type_code
where c.municipality_code = :municipality
  and c.valid_from <= cast(:as_of as date)
  and (c.valid_to is null or c.valid_to >= cast(:as_of as date))
  and c.renegotiate_by <= cast(:as_of_plus_90 as date)
order by c.renegotiate_by, c.contract_id
