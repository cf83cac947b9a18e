-- Afgørelser i vinduet fordelt efter art, udfald, indsatstype og hvem der traf dem, with the same
-- measures as kpi_decisions per group: decisions, new applications granted and granted-or-rejected
-- (approval rate), housing decisions and those made in committee, and the median processing time
-- of new applications. Grain: one row per dimension (kind, outcome, offer_type, decided_by) and
-- group. Params: municipality, window_start, as_of.
with w as (
    select
        d.citizen_id,
        d.kind,
        d.outcome,
        d.decided_by,
        d.offer_type_code,
        coalesce(t.name, d.offer_type_code) as offer_type_name,
        case when t.category = 'bolig' then 1 else 0 end as housing,
        case when t.category = 'bolig' and d.decided_by = 'committee' then 1 else 0 end
            as housing_committee,
        case when d.kind = 'new' and d.outcome = 'granted' then 1 else 0 end as new_granted,
        case when d.kind = 'new' and d.outcome in ('granted', 'rejected') then 1 else 0 end
            as new_decided,
        case when d.kind = 'new' then d.decision_date - d.application_date end as processing_days
    from decision as d
    left join offer_type as t on t.offer_type_code = d.offer_type_code
    where d.municipality_code = :municipality
      and d.decision_date between cast(:window_start as date) and cast(:as_of as date)
),

grouped as (
    select
        'kind' as dimension, kind as group_key, kind as group_name, citizen_id, housing,
        housing_committee, new_granted, new_decided, processing_days
    from w
    union all
    select
        'outcome', outcome, outcome, citizen_id, housing, housing_committee, new_granted,
        new_decided, processing_days
    from w
    union all
    select
        'offer_type', offer_type_code, offer_type_name, citizen_id, housing, housing_committee,
        new_granted, new_decided, processing_days
    from w
    union all
    select
        'decided_by', decided_by, decided_by, citizen_id, housing, housing_committee,
        new_granted, new_decided, processing_days
    from w
)

select
    dimension,
    group_key,
    group_name,
    count(*) as decisions,
    sum(new_granted) as new_granted,
    sum(new_decided) as new_decided,
    sum(housing) as housing,
    sum(housing_committee) as housing_committee,
    percentile_cont(0.5) within group (order by processing_days) as processing_days_median,
    count(distinct citizen_id) as citizens
from grouped
group by dimension, group_key, group_name
order by dimension, group_key
