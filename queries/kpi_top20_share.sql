-- De dyreste 20 %'s andel af udgiften: over citizen-linked window spend, the top ceil(0.2 x n)
-- citizens' spend / all citizen-linked spend. Grain: one row. Params: municipality, window_start,
-- as_of.
with per_citizen as (
    select citizen_id, sum(amount_dkk) as spend_dkk
    -- include: window_expenses
      and citizen_id is not null
    group by citizen_id
),

ranked as (
    select
        spend_dkk,
        row_number() over (order by spend_dkk desc, citizen_id) as position,
        count(*) over () as citizens
    from per_citizen
)

select
    cast(sum(case when position <= ceil(0.2 * citizens) then spend_dkk else 0 end)
        as double precision)
    / nullif(cast(sum(spend_dkk) as double precision), 0) as value
from ranked
