-- Every worklist item the cockpit has listed for the municipality (open and resolved in data).
select municipality_code, kind, item_key, citizen_id, since, first_seen_on, last_seen_on,
       price_before, resolved_on, price_after, status, responsible, due_date, note, note_sha256,
       acted_at, version, updated_at, updated_by
from worklist_item
where municipality_code = :municipality_code
order by kind, item_key
