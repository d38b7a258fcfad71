-- Search (Google Search Console): how much of the site's Google search asks for the brand by name?
-- Grain: one row per export range in the view ($by = 'range': one export per month gives a monthly
-- trend) or one for the view ($by = 'total', range_start and range_end its first and last). Parameters:
--   $start_date, $end_date  inclusive DATE range
--   $by           'range' | 'total'
--   $brand_terms  config/revline.toml [web] brand_terms (queries/settings.py): a query is brand when it
--                 contains one of the terms, case-insensitive ("acme" matches "acme pricing" and
--                 "ACME login"); a misspelling ("acmee", "akme") is brand only with a term of its own
-- Which exports count: search_queries holds each export's top queries for its whole range (the
-- first..last day of its chart), never by day. Per property, the ranges lying wholly in the view
-- count, less a range inside a longer one that counts (search_ranges, queries/macros.sql).
-- Metrics (sums of the listed queries):
--   brand_search_clicks, brand_search_impressions           queries containing a brand term
--   non_brand_search_clicks, non_brand_search_impressions   the other listed queries
--   search_clicks, search_impressions   the charts' totals for the same days (search_daily: every
--                                       query, anonymised ones included)
-- The query table holds at most 1,000 rows per export and leaves out anonymised queries, so brand +
-- non-brand is below the chart's total: the rest are queries Google does not list.
-- NULL, never 0: every column when no export range lies in the view ("no data"); the brand and
-- non-brand columns when [web] brand_terms is empty (nothing says what the brand is).
-- Reads: search_queries, search_daily.
with terms as (
    select lower(t) as term from (select unnest($brand_terms::varchar[]) as t) where trim(t) <> ''
),

ranges as (select * from search_ranges($start_date, $end_date)),  -- the ranges that count (macros.sql)

queries as (
    select
        case when $by = 'range' then q.range_start else min(q.range_start) over () end as range_start,
        case when $by = 'range' then q.range_end else max(q.range_end) over () end as range_end,
        q.property, q.range_start as own_start, q.range_end as own_end, q.clicks, q.impressions,
        brand_query(q.query, $brand_terms::varchar[]) as is_brand
    from search_queries q
    join ranges using (property, range_start, range_end)
),

listed as (
    select
        range_start, range_end,
        sum(clicks) filter (where is_brand) as brand_clicks, sum(impressions) filter (where is_brand) as brand_impressions,
        sum(clicks) filter (where not is_brand) as other_clicks, sum(impressions) filter (where not is_brand) as other_impressions
    from queries
    group by all
),

charts as (  -- the charts' totals over the days of the counted ranges
    select
        case when $by = 'range' then r.range_start else min(r.range_start) over () end as range_start,
        case when $by = 'range' then r.range_end else max(r.range_end) over () end as range_end,
        d.clicks, d.impressions
    from ranges r
    join search_daily d on d.property = r.property and d.date between r.range_start and r.range_end
),

totals as (
    select range_start, range_end, sum(clicks) as search_clicks, sum(impressions) as search_impressions
    from charts
    group by all
),

branded as (select exists (select 1 from terms) as known)

select
    l.range_start, l.range_end,
    case when b.known then coalesce(l.brand_clicks, 0) end as brand_search_clicks,
    case when b.known then coalesce(l.brand_impressions, 0) end as brand_search_impressions,
    case when b.known then coalesce(l.other_clicks, 0) end as non_brand_search_clicks,
    case when b.known then coalesce(l.other_impressions, 0) end as non_brand_search_impressions,
    t.search_clicks, t.search_impressions
from listed l
cross join branded b
left join totals t using (range_start, range_end)
order by l.range_start, l.range_end
