-- The days each grant was active in the window (1 January to the reference date), summed, and the
-- distinct citizens behind them: the select list of every grant-days figure, written once
-- (window_spend_and_days, compare_offer_types). Params: window_start, as_of.
sum(
    least(coalesce(end_date, cast(:as_of as date)), cast(:as_of as date))
    - greatest(start_date, cast(:window_start as date)) + 1
) as grant_days,
count(distinct citizen_id) as citizens
