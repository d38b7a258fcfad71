-- Records behind an aggregate row: the leads a funnel stage, campaign, cohort, response band,
-- SLA status or rep row counts, one row each, so the list is exactly the records behind the number.
-- uses: handoff/mql_response as mql
-- Grain: one row per lead. Parameters: those of handoff/mql_response (the view: $start_date,
-- $end_date, $as_of, $channel, $platform, $campaign, $owner, and the SLA clock), plus the drill:
--   $basis   'funnel': leads as funnel/stages and paid_media/cost_per_stage count them:
--              $stage 'lead' | 'mql' | 'sql' | 'opportunity' | 'customer', $mode 'cohort' (created
--              in range, reached the stage by now) | 'flow' (entered the stage in range); with
--              $cohort (DATE, the month's first day, or NULL) only leads created in that month
--              (funnel/cohort_maturity's cohort)
--            'handoff': MQLs whose clock started in range, as handoff/response_bands and
--              handoff/speed_and_sla count them; $band and $sla_status (NULL = all) pick one band
--              or status
--   $score_band  a lead score band (queries/macros.sql lead_bands, as handoff/score_bands names
--            it, with the bands $score_band_names, $score_band_mins, $score_rating_values,
--            $score_rating_bands); NULL = all
--   $rep     the rep as the per-rep rows name it: coalesce(owner, '(no owner)'); NULL = all
--   $row_campaign, $row_platform   a campaign row's campaign and platform (Marketing's campaign
--            table: paid_media/cost_per_stage by campaign); NULL = all
-- Columns: the CRM record id (lead_id) and its source_system, owner, channel, platform, campaign,
--   created / MQL / SQL / opportunity / customer times, first touch; response_minutes, band and
--   sla_status are handoff/mql_response's own (the same numbers as the Handoff page), NULL for a
--   lead whose clock did not start in the range. No names, e-mails, phones or companies.
-- Reads: leads, mart_first_touch (through handoff/mql_response).
with in_band as (  -- the chosen score band's leads; every lead when none is chosen
    select lead_id from lead_bands($score_band_names, $score_band_mins, $score_rating_values, $score_rating_bands)
    where $score_band is not null and score_band = $score_band
),

chosen as (
    select l.lead_id
    from leads l
    where $basis = 'funnel'
      and ($score_band is null or l.lead_id in (select lead_id from in_band))
      and attribution_in_view(l.channel, l.platform, l.campaign_name, $channel, $platform, $campaign)
      and in_selection(l.owner, $owner)
      and ($rep is null or coalesce(l.owner, '(no owner)') = $rep)
      and ($row_campaign is null or l.campaign_name = $row_campaign)
      and ($row_platform is null or l.platform = $row_platform)
      and ($cohort is null or date_trunc('month', l.created_at)::date = $cohort::date)
      and case when $mode = 'flow' then
              (case $stage when 'lead' then l.created_at when 'mql' then l.mql_at when 'sql' then l.sql_at
                           when 'opportunity' then l.opportunity_at else l.customer_at end)::date
                  between $start_date and $end_date
          else l.created_at::date between $start_date and $end_date
              and (case $stage when 'lead' then l.created_at when 'mql' then l.mql_at when 'sql' then l.sql_at
                               when 'opportunity' then l.opportunity_at else l.customer_at end) is not null
          end
    union all
    select m.lead_id
    from mql m
    where $basis = 'handoff'
      and ($score_band is null or m.lead_id in (select lead_id from in_band))
      and ($band is null or m.band = $band)
      and ($sla_status is null or m.sla_status = $sla_status)
      and ($rep is null or coalesce(m.owner, '(no owner)') = $rep)
      and ($row_campaign is null or m.campaign_name = $row_campaign)
      and ($row_platform is null or m.platform = $row_platform)
)

select
    l.lead_id, l.source_system, l.owner, l.channel, l.platform, l.campaign_name,
    l.created_at, l.mql_at, l.sql_at, l.opportunity_at, l.customer_at, m.touch_at as first_touch_at, l.lead_score,
    m.response_minutes, m.band, m.sla_status, m.deadline_at
from chosen c
join leads l using (lead_id)
left join mql m using (lead_id)
order by l.created_at desc, l.lead_id
