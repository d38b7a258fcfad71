-- Lead score bands: does the lead score predict conversion (calibration), which band should start
-- the MQL stage, and are higher bands followed up faster, by which reps (the routing check)?
-- uses: handoff/score_band_leads as base
-- Grain: one row per segment x score band ($by 'total' -> every configured band and 'Unscored',
-- empty ones included, in band order; 'owner' -> one row per rep x band the rep has leads or MQLs in).
-- Parameters: those of handoff/mql_response (the view and the SLA clock), plus $by, the bands
--   $score_band_names, $score_band_mins, $score_rating_values, $score_rating_bands ([[scoring.band]],
--   queries/settings.py), $opportunity_window_days ([kpi]) and $mql_min_sql_rate ([scoring]).
-- A lead's band: queries/macros.sql score_band_of (numeric score first, else Salesforce Rating, else
-- 'Unscored'). Per rep by the lead's owner.
-- Conversion, of the leads created in the range (by $as_of; cut by channel, platform, campaign, rep):
--   leads             leads created in the range in the band
--   mql_rate          leads with an MQL date by $as_of / leads
--   sql_rate          leads with an SQL date by $as_of / leads
--   opportunity_rate  leads with a deal or opportunity created within $opportunity_window_days days
--                     (and by $as_of) / leads, as sales/activity counts it
--   won, closed_deals deals of those leads closed by $as_of, won and all (won or lost)
--   win_rate          won / closed_deals
-- Speed, of the MQLs whose SLA clock started in the range (handoff/mql_response: the Handoff page's MQLs):
--   mqls, touched     MQLs in the band, and of them touched so far
--   median_minutes    median response of touched MQLs (NULL when none touched)
--   within_5_min_rate touched within 5 minutes / mqls
--   band_mql_share    this segment's share of the band's MQLs (which reps get the band; 1 for the total)
-- Calibration and routing, between a scored band and the next lower non-empty scored band (NULL for
-- the lowest and for 'Unscored'):
--   sql_rate_rises    sql_rate above the lower band's (conversion rises with the band)
--   faster_than_lower median_minutes below the lower band's (higher bands followed up faster)
--   suggested_mql     the band and every non-empty scored band above it reach $mql_min_sql_rate:
--                     the suggested MQL threshold is the lowest min_score among these bands
-- All ratios NULL when their denominator is 0.
-- Reads: leads, deals, mart_first_touch (through handoff/score_band_leads, one base for the total and per rep).
with band_list as (select * from score_band_list($score_band_names, $score_band_mins)),

conversion as (  -- the leads created in the range (score_band_leads' lead rows)
    select segment_of($by, null, null, null, owner) as segment, score_band, count(*) as leads,
        count(*) filter (where mql_reached) as mqls_reached,
        count(*) filter (where sql_reached) as sqls_reached,
        count(*) filter (where opportunity) as opportunities,
        coalesce(sum(won), 0) as won, coalesce(sum(closed_deals), 0) as closed_deals
    from base
    where part = 'lead'
    group by all
),

speed as (  -- the MQLs (its mql rows)
    select segment_of($by, null, null, null, owner) as segment, score_band,
        count(*) as mqls, count(touch_at) as touched, median(response_minutes) as median_minutes,
        count(*) filter (where response_minutes < 5) as within_5_min
    from base
    where part = 'mql'
    group by all
),

band_mqls as (select score_band, sum(mqls) as all_mqls from speed group by score_band),

cells as (  -- the total: every band; per rep: the bands the rep has leads or MQLs in
    select s.segment, b.score_band from (select 'all' as segment) s, band_list b where $by <> 'owner'
    union
    select segment, score_band from conversion
    union
    select segment, score_band from speed
),

measured as (
    select
        x.segment, x.score_band, b.band_order, b.min_score,
        coalesce(c.leads, 0) as leads,
        c.mqls_reached / nullif(c.leads, 0) as mql_rate,
        c.sqls_reached / nullif(c.leads, 0) as sql_rate,
        c.opportunities / nullif(c.leads, 0) as opportunity_rate,
        coalesce(c.won, 0) as won, coalesce(c.closed_deals, 0) as closed_deals,
        c.won / nullif(c.closed_deals, 0) as win_rate,
        coalesce(s.mqls, 0) as mqls, coalesce(s.touched, 0) as touched, s.median_minutes,
        s.within_5_min / nullif(s.mqls, 0) as within_5_min_rate,
        s.mqls / nullif(bm.all_mqls, 0) as band_mql_share,
        x.score_band <> 'Unscored' and coalesce(c.leads, 0) > 0 as comparable
    from cells x
    join band_list b using (score_band)
    left join conversion c on c.segment = x.segment and c.score_band = x.score_band
    left join speed s on s.segment = x.segment and s.score_band = x.score_band
    left join band_mqls bm on bm.score_band = x.score_band
),

compared as (  -- each non-empty scored band against the next lower one
    select segment, score_band,
        lead(sql_rate) over w as lower_sql_rate,
        lead(median_minutes) over w as lower_median_minutes,
        bool_and(coalesce(sql_rate >= $mql_min_sql_rate, false)) over (
            partition by segment order by band_order rows between unbounded preceding and current row) as top_run
    from measured
    where comparable
    window w as (partition by segment order by band_order)
)

select
    m.segment, m.score_band, m.band_order, m.min_score, m.leads, m.mql_rate, m.sql_rate, m.opportunity_rate,
    m.won, m.closed_deals, m.win_rate, m.mqls, m.touched, m.median_minutes, m.within_5_min_rate, m.band_mql_share,
    m.sql_rate > k.lower_sql_rate as sql_rate_rises,
    m.median_minutes < k.lower_median_minutes as faster_than_lower,
    coalesce(k.top_run, false) as suggested_mql
from measured m
left join compared k on k.segment = m.segment and k.score_band = m.score_band
order by m.band_order, m.mqls desc, m.segment  -- per band, the reps getting most of it first
