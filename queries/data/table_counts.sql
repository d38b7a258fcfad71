-- How many rows each contract table holds, and the date range it covers.
-- Grain: one row per contract table. Parameters: none. Reads: ad_spend, leads, deals, activities, targets.
select 'ad_spend' as table_name, count(*) as row_count, min(date)::timestamp as first_at, max(date)::timestamp as last_at from ad_spend
union all select 'leads', count(*), min(created_at), max(created_at) from leads
union all select 'deals', count(*), min(created_at), max(created_at) from deals
union all select 'activities', count(*), min(occurred_at), max(occurred_at) from activities
union all select 'targets', count(*), min(month)::timestamp, max(month)::timestamp from targets
