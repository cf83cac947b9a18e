-- The data list an item as open at a data date: insert it, or refresh what the data say about it
-- (since, citizen, price; reopened when it had been resolved). The user's fields are untouched.
insert into worklist_item (municipality_code, kind, item_key, citizen_id, since, first_seen_on,
                           last_seen_on, price_before, status, version)
values (:municipality_code, :kind, :item_key, :citizen_id, :since, :seen_on, :seen_on,
        :price_before, 'new', 0)
on conflict (municipality_code, kind, item_key) do update
set citizen_id = excluded.citizen_id,
    since = excluded.since,
    last_seen_on = excluded.last_seen_on,
    price_before = excluded.price_before,
    resolved_on = null,
    price_after = null
