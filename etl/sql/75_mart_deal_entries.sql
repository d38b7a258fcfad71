-- mart_deal_entries: one row per deal created and per deal won, with the day and the attribution of
-- the deal's lead (platform, campaign, channel: what paid media is credited with). Answers "what
-- pipeline and revenue did these days bring, per platform, campaign or channel" by reading only
-- the days asked for (sorted by day). Rebuilt on every load from deals and leads.
-- Grain: (deal_id, kind). kind: 'created' (day = created_at) | 'won' (day = closed_at, is_won).
create or replace table mart_deal_entries as
select e.day, e.kind, e.deal_id, e.amount, l.lead_id, l.platform, l.campaign_name, l.channel
from (
    select created_at::date as day, 'created' as kind, deal_id, lead_id, amount from deals
    union all
    select closed_at::date, 'won', deal_id, lead_id, amount from deals where is_won
) e
join leads l using (lead_id)
order by e.day, e.kind;
