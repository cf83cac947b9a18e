-- A fingerprint of the municipality's stored items (how many, and the sum of their versions, which
-- every user change raises): the steering figures are recomputed only when it or the judgement
-- marker changes (cockpit/worklist/service.py).
select count(*) as items, coalesce(sum(version), 0) as versions
from worklist_item
where municipality_code = :municipality_code
