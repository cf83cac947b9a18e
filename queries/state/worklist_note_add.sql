-- One version of an item's note (kept for the leder role; the audit log gets only its hash).
insert into worklist_note (municipality_code, kind, item_key, version, note, note_sha256,
                           written_at, written_by)
values (:municipality_code, :kind, :item_key, :version, :note, :note_sha256, :written_at,
        :written_by)
