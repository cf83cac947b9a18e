-- Datagrundlag: how much of the window's spend is linked to a grant, a citizen and an offer (the
-- link between activity and economy). Grain: one row. Params: municipality, window_start, as_of.
select
    count(*) as expense_lines,
    cast(sum(amount_dkk) as double precision) as amount_dkk,
    cast(sum(case when grant_id is not null then amount_dkk else 0 end) as double precision)
        as with_grant_dkk,
    cast(sum(case when citizen_id is not null then amount_dkk else 0 end) as double precision)
        as with_citizen_dkk,
    cast(sum(case when grant_id is not null and citizen_id is not null then amount_dkk else 0 end)
        as double precision) as with_grant_and_citizen_dkk,
    cast(sum(case when offer_id is not null then amount_dkk else 0 end) as double precision)
        as with_offer_dkk
-- include: window_expenses
