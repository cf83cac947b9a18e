-- What the data and the steering figures need of every stored item: no user text (no note, no
-- responsible person), so the aggregates for other roles never even read it.
select kind, item_key, citizen_id, since, first_seen_on, acted_at, resolved_on, price_before,
       price_after
from worklist_item
where municipality_code = :municipality_code
