-- Én borgers visitationsafgørelser til og med opgørelsesdatoen. Citizen-level.
-- Grain: one row per decision. Params: municipality, citizen_id, as_of.
select
    d.decision_id,
    d.offer_type_code,
    coalesce(t.name, d.offer_type_code) as offer_type_name,
    d.application_date,
    d.decision_date,
    d.decision_date - d.application_date as processing_days,
    d.kind,
    d.outcome,
    d.decided_by
from decision as d
left join offer_type as t on t.offer_type_code = d.offer_type_code
where d.municipality_code = :municipality
  and d.citizen_id = :citizen_id
  and d.decision_date <= cast(:as_of as date)
order by d.decision_date desc, d.decision_id
