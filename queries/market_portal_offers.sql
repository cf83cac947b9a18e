-- Published rate ranges held in the database (optional table tilbudsportalen_offer, issue 18; the
-- demo's synthetic ranges). No citizens. Grain: one row per Tilbudsportalen offer.
-- Params: municipality.
select
    tilbudsportalen_id,
    name,
    postcode,
    offer_type_code,
    places,
    cast(rate_min as double precision) as rate_min,
    cast(rate_max as double precision) as rate_max,
    source
from tilbudsportalen_offer
where municipality_code = :municipality
order by tilbudsportalen_id
