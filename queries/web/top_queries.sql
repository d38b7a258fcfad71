-- Top search queries (Google Search Console): which Google searches bring the site its clicks, and
-- which of them ask for the brand by name?
-- Grain: one row per query, the $top with the most clicks (then impressions, then the query), over
-- the Search Console export ranges that count for the view. Parameters:
--   $start_date, $end_date  inclusive DATE range
--   $top          how many queries (the Marketing page asks for 20)
--   $brand_terms  config/revline.toml [web] brand_terms (queries/settings.py): brand when the query
--                 contains one, case-insensitive (brand_query, queries/macros.sql)
-- Which exports count: as web/search (search_ranges, queries/macros.sql): the ranges lying wholly
-- in the view, a range inside a longer one not added twice. A query listed in several ranges or
-- properties is summed over them.
-- Columns: search_query (as Google lists it), is_brand (NULL when no brand terms are set: nothing
-- says what the brand is), clicks, impressions, ctr = clicks / impressions, position = the average
-- position weighted by impressions (Search Console's own average; NULL without impressions).
-- Each export lists at most 1,000 queries and no anonymised ones: these are the listed queries only.
-- No row when no export range lies in the view ("no data").
-- Reads: search_queries.
select
    q.query as search_query,
    case when len(list_filter($brand_terms::varchar[], lambda t: trim(t) <> '')) > 0
         then brand_query(q.query, $brand_terms::varchar[]) end as is_brand,
    sum(q.clicks)::bigint as clicks,
    sum(q.impressions)::bigint as impressions,
    sum(q.clicks) / nullif(sum(q.impressions), 0) as ctr,
    sum(q.position * q.impressions) / nullif(sum(q.impressions) filter (where q.position is not null), 0) as position
from search_queries q
join search_ranges($start_date, $end_date) r using (property, range_start, range_end)
group by q.query
order by clicks desc, impressions desc, search_query
limit $top
