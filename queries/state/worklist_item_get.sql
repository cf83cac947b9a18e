-- One worklist item (the current version, for an edit and its audit row).
select municipality_code, kind, item_key, citizen_id, since, first_seen_on, last_seen_on,
       price_before, resolved_on, price_after, status, responsible, due_date, note, note_sha256,
       acted_at, version, updated_at, updated_by
from worklist_item
where municipality_code = :municipality_code and kind = :kind and item_key = :item_key
