-- The expenses (alias e) of the municipality posted in the window up to the reference date, each
-- with its offer (alias o; null when the expense names no offer or an unknown one). The from and
-- where clause of every spend breakdown, written once; included by db.sql where a query says
-- `-- include: expenses_in_window`. Params: municipality, window_start, as_of.
from expense as e
left join offer as o
    on o.municipality_code = e.municipality_code
    and o.offer_id = e.offer_id
where e.municipality_code = :municipality
  and e.posting_date between cast(:window_start as date) and cast(:as_of as date)
