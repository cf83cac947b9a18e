-- Gyldige kontrakter på opgørelsesdatoen: the share with a goals annex, and how many must be
-- renegotiated within 90 days. Grain: one row. Params: municipality, as_of, as_of_plus_90.
select
    cast(sum(case when has_goals_annex then 1 else 0 end) as double precision)
    / nullif(count(*), 0) as contracts_with_goals,
    sum(case when renegotiate_by <= cast(:as_of_plus_90 as date) then 1 else 0 end)
        as contracts_to_renegotiate
from contract
where municipality_code = :municipality
  and valid_from <= cast(:as_of as date)
  and (valid_to is null or valid_to >= cast(:as_of as date))
