-- mart_mrr_days: each day's MRR and paying customers, the sums queries/revenue/movements.sql reads for
-- each month's start and end. Grain: one row per day with MRR (mrr_daily, etl/sql/55_subscriptions.sql);
-- a day without one has none (0 MRR, 0 customers). Built at load: mrr_daily is ordered by customer, so
-- each of the query's three day lookups read all of it (7.7M rows at 1M leads: docs/benchmarks.md
-- "Performance round 2 (#23)").
create or replace table mart_mrr_days as
select day, sum(mrr) as mrr, count(*) as customers
from mrr_daily
group by day
order by day;
