-- Gyldige kontrakter på opgørelsesdatoen fordelt efter tilbuddets ejerform: how many, how many with
-- a goals annex and how many to renegotiate within 90 days, as in kpi_contracts. Contracts whose
-- grant or offer is unknown are grouped under an empty owner type.
-- Grain: one row per owner type. Params: municipality, as_of, as_of_plus_90.
select
    coalesce(o.owner_type, '') as owner_type,
    count(*) as contracts,
    sum(case when c.has_goals_annex then 1 else 0 end) as with_goals,
    sum(case when c.renegotiate_by <= cast(:as_of_plus_90 as date) then 1 else 0 end)
        as to_renegotiate,
    cast(sum(c.monthly_price) as double precision) as monthly_price_dkk,
    count(distinct g.citizen_id) as citizens
from contract as c
left join "grant" as g on g.municipality_code = c.municipality_code and g.grant_id = c.grant_id
left join offer as o on o.municipality_code = g.municipality_code and o.offer_id = g.offer_id
where c.municipality_code = :municipality
  and c.valid_from <= cast(:as_of as date)
  and (c.valid_to is null or c.valid_to >= cast(:as_of as date))
group by coalesce(o.owner_type, '')
order by owner_type
