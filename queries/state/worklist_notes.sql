-- The note history of one item, newest first.
select version, note, note_sha256, written_at, written_by
from worklist_note
where municipality_code = :municipality_code and kind = :kind and item_key = :item_key
order by version desc
