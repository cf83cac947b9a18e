-- Spend and grant-days per offer type in the window (1 January to the reference date), written
-- once for kpi_unit_cost and econ_price_quantity: window spend of the type, and the days its
-- grants were active in the window with the distinct citizens behind them.
-- CTEs: spend, grant_days. Params: municipality, window_start, as_of.
spend as (
    select offer_type_code, sum(amount_dkk) as spend_dkk
    from expense
    where municipality_code = :municipality
      and posting_date between cast(:window_start as date) and cast(:as_of as date)
    group by offer_type_code
),

grant_days as (
    select
        offer_type_code,
        sum(
            least(coalesce(end_date, cast(:as_of as date)), cast(:as_of as date))
            - greatest(start_date, cast(:window_start as date)) + 1
        ) as grant_days,
        count(distinct citizen_id) as citizens
    from "grant"
    where municipality_code = :municipality
      and start_date <= cast(:as_of as date)
      and (end_date is null or end_date >= cast(:window_start as date))
    group by offer_type_code
)
