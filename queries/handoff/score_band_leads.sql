-- Score bands' base: the rows handoff/score_bands groups by band and by rep, computed once per view and
-- shared by its total and per-rep tables (each read every lead and MQL again: docs/benchmarks.md
-- "Performance round 2 (#23)"). Two kinds of rows, `part`:
--   'lead'  one per lead created in the range by $as_of (cut by channel, platform, campaign, rep): its
--           owner and band, whether it reached MQL and SQL by $as_of, whether it had a deal or opportunity
--           within $opportunity_window_days days, and its deals closed by $as_of (won, closed_deals)
--   'mql'   one per MQL of handoff/mql_response (the Handoff page's MQLs): its owner, band, touch_at and
--           response_minutes
-- A lead's band: queries/macros.sql score_band_of. Parameters: those of handoff/mql_response, the bands
-- ($score_band_names, $score_band_mins, $score_rating_values, $score_rating_bands) and $opportunity_window_days.
-- Reads: leads, deals, mart_first_touch (through handoff/mql_response).
-- uses: handoff/mql_response as mql
with cohort as (  -- leads created in the range, by $as_of
    select l.lead_id, l.owner, l.created_at, l.mql_at, l.sql_at, l.opportunity_at,
        score_band_of(l.lead_score, l.lead_rating, $score_band_names, $score_band_mins, $score_rating_values,
                      $score_rating_bands) as score_band
    from leads l
    where l.created_at::date between $start_date and $end_date and l.created_at <= $as_of::timestamp
      and in_selection(l.owner, $owner)
      and attribution_in_view(l.channel, l.platform, l.campaign_name, $channel, $platform, $campaign)
),

lead_deals as (  -- each cohort lead's first deal by $as_of, and its deals closed by then
    select c.lead_id, min(d.created_at) as first_deal_at,
        count(*) filter (where d.is_closed and d.closed_at <= $as_of::date) as closed_deals,
        count(*) filter (where d.is_won and d.closed_at <= $as_of::date) as won
    from cohort c join deals d on d.lead_id = c.lead_id
    where d.created_at <= $as_of::timestamp
    group by c.lead_id
)

select 'lead' as part, c.owner, c.score_band,
    c.mql_at <= $as_of::timestamp as mql_reached,
    c.sql_at <= $as_of::timestamp as sql_reached,
    least(f.first_deal_at, case when c.opportunity_at <= $as_of::timestamp then c.opportunity_at end)
        <= c.created_at + to_days($opportunity_window_days::integer) as opportunity,
    f.won, f.closed_deals, null as touch_at, null as response_minutes
from cohort c
left join lead_deals f using (lead_id)
union all
select 'mql', m.owner,
    score_band_of(l.lead_score, l.lead_rating, $score_band_names, $score_band_mins, $score_rating_values,
                  $score_rating_bands),
    null, null, null, null, null, m.touch_at, m.response_minutes
from mql m
join leads l using (lead_id)
