-- Search Console performance exports (etl/contracts/search_console_*.toml). CTR is a fraction here
-- (the export writes "0.43%": 0.0043); a day without impressions has NULL ctr and position.
-- The newest export wins per day / per range and query or page, by the export's own time
-- (its zip or folder name and member times, etl/export_time.py): the latest_ views (etl/newest.py).
-- `property`: the site, from the export's zip or folder name (`https___www.example.com_`, `example.com`),
-- '' for loose files. search_daily: one row per property and day of the chart (Chart.csv / Dates.csv), the property's whole search
-- traffic (anonymised queries included).
create or replace table search_daily as
select property, date, clicks, impressions, ctr / 100 as ctr, position, load_id
from latest_search_console__days
order by property, date;

-- search_queries / search_pages: the top rows of one export's range (range_start..range_end, the
-- first and last day of its chart): at most 1,000 rows, anonymised queries left out, so their sums
-- are below search_daily's. Never split by day: an export per month gives a monthly trend.
create or replace table search_queries as
select property, range_start, range_end, query, clicks, impressions, ctr / 100 as ctr, position, load_id
from latest_search_console__queries
order by property, range_start, clicks desc, impressions desc, query;

create or replace table search_pages as
select property, range_start, range_end, page, clicks, impressions, ctr / 100 as ctr, position, load_id
from latest_search_console__pages
order by property, range_start, clicks desc, impressions desc, page;
