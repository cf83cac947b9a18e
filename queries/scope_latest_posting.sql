-- Seneste bogføringsdato for kommunen i året, and the latest year with postings at all (to tell a
-- closed year). Grain: one row. Params: municipality, year.
select
    max(case when extract(year from posting_date) = :year then posting_date end) as latest_in_year,
    max(extract(year from posting_date)) as latest_year
from expense
where municipality_code = :municipality
