-- Andel af udgiften til eksterne tilbud: window spend on offers with owner_type <> 'own' / window
-- spend with an offer. Grain: one row. Params: municipality, window_start, as_of.
select
    cast(sum(case when o.owner_type <> 'own' then e.amount_dkk else 0 end) as double precision)
    / nullif(cast(sum(e.amount_dkk) as double precision), 0) as value
from expense as e
left join offer as o
    on o.municipality_code = e.municipality_code
    and o.offer_id = e.offer_id
where e.municipality_code = :municipality
  and e.posting_date between cast(:window_start as date) and cast(:as_of as date)
  and e.offer_id is not null
