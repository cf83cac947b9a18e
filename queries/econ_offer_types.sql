-- Indsatstyper: the choices of the offer-type filter and the names of the steps on the
-- indsatstrappe. Grain: one row per offer type. Params: none.
select
    offer_type_code,
    name,
    paragraph,
    account_function,
    category,
    staircase_step
from offer_type
order by offer_type_code
