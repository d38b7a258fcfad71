-- Values the sidebar filters offer: every channel, platform, campaign and owner present in the
-- warehouse.
-- Grain: one row per (kind, value). Parameters: none.
-- Reads: mart_filter_options (built at load from ad_spend, leads and deals: etl/sql/80_*).
select kind, value from mart_filter_options
order by kind, value
