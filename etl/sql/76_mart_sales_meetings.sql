-- mart_sales_meetings: the sales meetings queries/sales/performance.sql counts (its `meetings`), per
-- booked day, rep and what the meeting is about: its deal (the deal's channel, its lead's platform and
-- campaign), else its lead, as the query cut them. Grain: (day, owner, channel, platform, campaign_name);
-- meetings = how many. Built at load: each Sales render ran the query four times (the tiles' two
-- periods, the comparison cohort, the per-rep table), each joining every meeting of the range with
-- every deal (docs/benchmarks.md "Performance round 2 (#23)").
create or replace table mart_sales_meetings as
select a.booked_at::date as day, a.owner,
    case when d.deal_id is not null then d.channel else l.channel end as channel,
    l.platform, l.campaign_name, count(*) as meetings
from sales_activities a
left join deals d on d.deal_id = a.deal_id
left join leads l on l.lead_id = case when d.deal_id is not null then d.lead_id else a.lead_id end
where a.is_sales_meeting and not a.is_automated
group by all
order by day, owner, channel, platform, campaign_name;
