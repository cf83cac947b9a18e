-- An item about to be edited that no data load has recorded yet (the worklist was judged at an
-- earlier reference date): insert it as the data show it now, or leave the stored row alone.
insert into worklist_item (municipality_code, kind, item_key, citizen_id, since, first_seen_on,
                           last_seen_on, price_before, status, version)
values (:municipality_code, :kind, :item_key, :citizen_id, :since, :seen_on, :seen_on,
        :price_before, 'new', 0)
on conflict (municipality_code, kind, item_key) do nothing
