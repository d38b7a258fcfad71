-- The span of dates the warehouse holds, for date presets and empty states.
-- Grain: one row. Parameters: none. Reads: ad_spend, leads, deals.
select
    least((select min(date) from ad_spend), (select min(created_at)::date from leads),
          (select min(created_at)::date from deals)) as first_date,
    greatest((select max(date) from ad_spend), (select max(created_at)::date from leads),
             (select max(coalesce(closed_at, created_at))::date from deals)) as last_date
