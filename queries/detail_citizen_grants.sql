-- Én borgers bevillinger, der er startet senest på opgørelsesdatoen: offer type and staircase step,
-- offer, period, monthly price, hours, planned follow-up, whether active on the date and the
-- grant's spend in the window, newest first. Citizen-level. Grain: one row per grant.
-- Params: municipality, citizen_id, window_start, as_of.
with spend as (
    select grant_id, sum(amount_dkk) as spend_dkk
    from expense
    where municipality_code = :municipality
      and citizen_id = :citizen_id
      and posting_date between cast(:window_start as date) and cast(:as_of as date)
      and grant_id is not null
    group by grant_id
)

select
    g.grant_id,
    g.decision_id,
    g.offer_type_code,
    coalesce(t.name, g.offer_type_code) as offer_type_name,
    t.staircase_step,
    g.offer_id,
    o.name as offer_name,
    o.owner_type,
    g.start_date,
    g.end_date,
    cast(g.monthly_price as double precision) as monthly_price,
    cast(g.weekly_hours as double precision) as weekly_hours,
    g.next_followup_date,
    case
        when g.end_date is null or g.end_date >= cast(:as_of as date) then 1 else 0
    end as active,
    cast(coalesce(s.spend_dkk, 0) as double precision) as spend_ytd_dkk
from "grant" as g
left join offer_type as t on t.offer_type_code = g.offer_type_code
left join offer as o on o.municipality_code = g.municipality_code and o.offer_id = g.offer_id
left join spend as s on s.grant_id = g.grant_id
where g.municipality_code = :municipality
  and g.citizen_id = :citizen_id
  and g.start_date <= cast(:as_of as date)
order by g.start_date desc, g.grant_id
