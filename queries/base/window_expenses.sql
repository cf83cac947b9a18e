-- The municipality's expenses posted in the window (1 January to the reference date), without an
-- alias: the from and where clause of every per-type, per-citizen or per-offer spend sum, written
-- once; included by db.sql where a query says `-- include: window_expenses`. Params: municipality,
-- window_start, as_of.
from expense
where municipality_code = :municipality
  and posting_date between cast(:window_start as date) and cast(:as_of as date)
