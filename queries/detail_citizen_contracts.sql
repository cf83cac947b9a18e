-- Kontrakter på én borgers bevillinger, der er trådt i kraft senest på opgørelsesdatoen, and
-- whether each is valid on that date. Citizen-level. Grain: one row per contract.
-- Params: municipality, citizen_id, as_of.
select
    c.contract_id,
    c.grant_id,
    g.offer_id,
    o.name as offer_name,
    c.template,
    c.valid_from,
    c.valid_to,
    cast(c.monthly_price as double precision) as monthly_price,
    c.has_goals_annex,
    c.renegotiate_by,
    case
        when c.valid_to is null or c.valid_to >= cast(:as_of as date) then 1 else 0
    end as valid_on_as_of
from contract as c
join "grant" as g on g.municipality_code = c.municipality_code and g.grant_id = c.grant_id
left join offer as o on o.municipality_code = g.municipality_code and o.offer_id = g.offer_id
where c.municipality_code = :municipality
  and g.citizen_id = :citizen_id
  and c.valid_from <= cast(:as_of as date)
order by c.valid_from desc, c.contract_id
