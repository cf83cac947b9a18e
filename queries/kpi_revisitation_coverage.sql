-- Sager fulgt op inden for 2 år: grants active on the reference date that started at least 730
-- days before it, and the share of them followed up in (as_of - 730, as_of] by a performed
-- follow-up of the grant or a revisitation/change decision on the same citizen and offer type.
-- Grain: one row. Params: municipality, as_of, as_of_minus_730.
with old_grants as (
    select grant_id, citizen_id, offer_type_code
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:as_of_minus_730 as date)
      and (end_date is null or end_date >= cast(:as_of as date))
),

followed as (
    select g.grant_id
    from old_grants as g
    where exists (
        select 1
        from followup as f
        where f.municipality_code = :municipality
          and f.grant_id = g.grant_id
          and f.performed_date > cast(:as_of_minus_730 as date)
          and f.performed_date <= cast(:as_of as date)
    )
    or exists (
        select 1
        from decision as d
        where d.municipality_code = :municipality
          and d.citizen_id = g.citizen_id
          and d.offer_type_code = g.offer_type_code
          and d.kind in ('revisitation', 'change')
          and d.decision_date > cast(:as_of_minus_730 as date)
          and d.decision_date <= cast(:as_of as date)
    )
)

select
    cast((select count(*) from followed) as double precision)
    / nullif((select count(*) from old_grants), 0) as value
