-- Borgere på ét tilbud: grants on the offer active on the reference date, with the grant's monthly
-- price, its spend in the window, whether it has a valid contract and its planned follow-up.
-- Citizen-level. Grain: one row per grant. Params: municipality, offer_id, window_start, as_of.
with spend as (
    select grant_id, sum(amount_dkk) as spend_dkk
    from expense
    where municipality_code = :municipality
      and offer_id = :offer_id
      and posting_date between cast(:window_start as date) and cast(:as_of as date)
      and grant_id is not null
    group by grant_id
)

select
    g.citizen_id,
    g.grant_id,
    g.offer_type_code,
    coalesce(t.name, g.offer_type_code) as offer_type_name,
    g.start_date,
    g.end_date,
    cast(g.monthly_price as double precision) as monthly_price,
    cast(g.weekly_hours as double precision) as weekly_hours,
    g.next_followup_date,
    cast(coalesce(s.spend_dkk, 0) as double precision) as spend_ytd_dkk,
    case when exists (
        select 1
        from contract as c
        where c.municipality_code = g.municipality_code
          and c.grant_id = g.grant_id
          and c.valid_from <= cast(:as_of as date)
          and (c.valid_to is null or c.valid_to >= cast(:as_of as date))
    ) then 1 else 0 end as has_valid_contract
from "grant" as g
left join offer_type as t on t.offer_type_code = g.offer_type_code
left join spend as s on s.grant_id = g.grant_id
where g.municipality_code = :municipality
  and g.offer_id = :offer_id
  -- include: active_on_d
order by g.monthly_price desc, g.citizen_id, g.grant_id
