-- Which channel, platform, campaign and owner occur together: the sidebar offers each filter the
-- values that have data with what the other filters chose (cascading filters, ui/state.py).
-- Grain: one row per distinct (channel, platform, campaign, owner); NULL where a row has none (ad
-- spend has no owner). Parameters: none.
-- Reads: mart_filter_combos (built at load from ad_spend, leads and deals: etl/sql/80_*).
select channel, platform, campaign, owner from mart_filter_combos
order by all
