-- The cause of an open item is gone in the data at this data date: "Løst i data".
update worklist_item
set resolved_on = :resolved_on, price_after = :price_after
where municipality_code = :municipality_code and kind = :kind and item_key = :item_key
  and resolved_on is null
