-- Records behind an aggregate row: the deals a rep, pipeline stage or forecast category row counts,
-- one row each, so the list is exactly the records behind the number.
-- Grain: one row per deal. Parameters:
--   $start_date, $end_date   inclusive DATE range (UTC dates)
--   $as_of      TIMESTAMP snapshot for open deals
--   $channel, $owner, $platform, $campaign   the view's filters (NULL = all; platform and campaign
--               are the deal's lead's, as in sales/performance)
--   $deal_set   'closed' (won or lost, closed_at in range: sales/performance won + lost)
--               | 'won' | 'lost' (the same, one outcome)
--               | 'created' (created_at in range: sales/performance created)
--               | 'open' (created by $as_of and not closed: sales/pipeline deals, omitted
--                 forecast category included as there)
--   $deal_stage the deal's current stage (NULL = all), as sales/pipeline rows name it
--   $forecast   coalesce(forecast_category, 'pipeline') (NULL = all), as sales/pipeline rows name it
--   $rep        coalesce(owner, '(no owner)') as the per-rep rows name it (NULL = all)
--   $move       a bar of the pipeline waterfall (pipeline/moves: start, created, pulled_in, increased,
--               decreased, pushed_out, lost, won, end; NULL = none): the deals behind it, whatever $deal_set
-- Columns: the CRM record id (deal_id) and its source_system, the lead's CRM id, owner, channel,
--   the lead's platform and campaign, stage, forecast category, amount (reporting currency),
--   created, expected close, closed at, outcome 'won' | 'lost' | 'open'. No deal names (they often
--   hold people's names), companies, e-mails or phones.
-- Reads: deals, leads (and deal_snapshots, mart_deal_snapshots for $move).
-- uses: pipeline/moves as moves when $move
with behind_move as (
    select source_system, deal_id from moves
    where case $move when 'start' then in_start when 'end' then in_end when 'increased' then change > 0
                     when 'decreased' then change < 0 else move = $move end
)

select
    d.deal_id, d.source_system, d.lead_id, d.owner, d.channel, l.platform, l.campaign_name,
    d.stage, coalesce(d.forecast_category, 'pipeline') as forecast_category, d.amount,
    d.created_at, d.expected_close_at, d.closed_at,
    case when d.is_won then 'won' when d.is_closed then 'lost' else 'open' end as outcome
from deals d
left join leads l on l.lead_id = d.lead_id
where deal_in_view(d.channel, d.owner, d.lead_id, $channel, $owner, $platform, $campaign)
  and ($rep is null or coalesce(d.owner, '(no owner)') = $rep)
  and ($deal_stage is null or d.stage = $deal_stage)
  and ($forecast is null or coalesce(d.forecast_category, 'pipeline') = $forecast)
  and ($move is null or (d.source_system, d.deal_id) in (select (source_system, deal_id) from behind_move))
  and case when $move is not null then true else case $deal_set
        when 'open' then not d.is_closed and d.created_at <= $as_of::timestamp
        when 'created' then d.created_at::date between $start_date and $end_date
        when 'won' then d.is_closed and d.is_won and d.closed_at::date between $start_date and $end_date
        when 'lost' then d.is_closed and not d.is_won and d.closed_at::date between $start_date and $end_date
        else d.is_closed and d.closed_at::date between $start_date and $end_date
      end end
order by d.amount desc nulls last, d.deal_id
