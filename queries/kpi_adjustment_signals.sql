-- Tilpasningssignaler: grants active on the reference date with a develop goal achieved at least
-- 90 days before it and no change, revisitation or end decision for the citizen since
-- (queries/base/signal_achievements.sql). Grain: one row. Params: municipality, as_of,
-- as_of_minus_90.
with
-- include: signal_achievements

select count(distinct grant_id) as value
from signals
