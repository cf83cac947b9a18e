-- Afgørelser i vinduet: count, approval rate of new applications, committee share of housing
-- decisions and the median processing time of new applications. Grain: one row.
-- Params: municipality, window_start, as_of.
select
    count(*) as decisions,
    cast(sum(case when d.kind = 'new' and d.outcome = 'granted' then 1 else 0 end)
        as double precision)
    / nullif(sum(case when d.kind = 'new' and d.outcome in ('granted', 'rejected') then 1 else 0 end),
        0) as approval_rate,
    cast(sum(case when t.category = 'bolig' and d.decided_by = 'committee' then 1 else 0 end)
        as double precision)
    / nullif(sum(case when t.category = 'bolig' then 1 else 0 end), 0) as committee_share_housing,
    percentile_cont(0.5) within group (
        order by case when d.kind = 'new' then d.decision_date - d.application_date end
    ) as processing_days_median
from decision as d
left join offer_type as t on t.offer_type_code = d.offer_type_code
where d.municipality_code = :municipality
  and d.decision_date between cast(:window_start as date) and cast(:as_of as date)
