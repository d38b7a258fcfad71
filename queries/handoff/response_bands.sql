-- Response bands: how are first touches distributed, and does answering fast convert better?
-- uses: handoff/mql_response as mql
-- Grain: one row per response band (all seven, zero rows included), in band order.
-- Parameters: those of handoff/mql_response.
-- Metrics:
--   mqls          MQLs in the band
--   share         mqls / all MQLs in range
--   sqls          of them, reached SQL (sql_at set, at any time so far)
--   sql_rate      sqls / mqls (NULL for an empty band)
-- Benchmarks shown beside it: calling within 5 minutes instead of 30 gave 100x the odds of
-- contact and 21x the odds of qualifying (MIT / InsideSales, 2007); responding within an hour made
-- qualifying ~7x as likely as an hour later (HBR, 2011).
-- Reads: leads, mart_first_touch (through handoff/mql_response).
with bands(band, band_order) as (
    values ('0-5 min', 1), ('5-15 min', 2), ('15-60 min', 3), ('1-4 h', 4), ('4-24 h', 5),
           ('> 24 h', 6), ('never', 7)
),

counted as (
    select band, count(*) as mqls, count(*) filter (where reached_sql) as sqls
    from mql group by band
)

select
    b.band, b.band_order,
    coalesce(c.mqls, 0) as mqls,
    coalesce(c.mqls, 0) / nullif(sum(coalesce(c.mqls, 0)) over (), 0) as share,
    coalesce(c.sqls, 0) as sqls,
    c.sqls / nullif(c.mqls, 0) as sql_rate
from bands b
left join counted c using (band)
order by b.band_order
