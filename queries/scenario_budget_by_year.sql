-- Hvad nu hvis: the corrected budget of the scope year and the three overslagsår, where the budget
-- table has them. Decided figures: no citizen lies behind them.
-- Grain: one row per year present. Params: municipality, year.
select
    year,
    cast(sum(corrected_dkk) as double precision) as budget_dkk
from budget
where municipality_code = :municipality
  and year between :year and :year + 3
group by year
order by year
