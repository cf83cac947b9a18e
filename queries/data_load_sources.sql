-- Hvilke kilder de indlæste data kommer fra (demotilstand viser kun generatorens syntetiske data).
-- Grain: one row per source. Params: none.
select distinct source
from data_load
