-- A user's change, only if nobody changed the item since the version the user started from
-- (optimistic concurrency: 0 rows affected means someone else saved first).
update worklist_item
set status = :status,
    responsible = :responsible,
    due_date = :due_date,
    note = :note,
    note_sha256 = :note_sha256,
    acted_at = :acted_at,
    version = version + 1,
    updated_at = :updated_at,
    updated_by = :updated_by
where municipality_code = :municipality_code and kind = :kind and item_key = :item_key
  and version = :version
