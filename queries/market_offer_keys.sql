-- Tilbudsportalen keys of the municipality's offers (optional columns offer.tilbudsportalen_id and
-- offer.postcode, issue 18): how an offer is matched to its published rate range. No citizens.
-- Grain: one row per offer. Params: municipality.
select
    offer_id,
    name,
    tilbudsportalen_id,
    postcode
from offer
where municipality_code = :municipality
order by offer_id
