-- The median monthly price of grants active on the reference date per step of the indsatstrappe:
-- what a step down is priced at (list_adjustment_signals, scenario_signal_savings).
-- CTE: step_prices. Params: municipality, as_of.
step_prices as (
    select
        t.staircase_step,
        percentile_cont(0.5) within group (
            order by cast(g.monthly_price as double precision)
        ) as median_monthly_price
    from "grant" as g
    join offer_type as t on t.offer_type_code = g.offer_type_code
    where g.municipality_code = :municipality
      and t.staircase_step is not null
      -- include: active_on_d
    group by t.staircase_step
)
