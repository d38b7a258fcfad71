"""The marts built at load (etl/sql/60_* to 75_*) hold exactly what they stand in for, recomputed
here from the contract tables; and a base several queries share (`-- uses:`) gives the same rows
whether the runner computes it inline or once for the warehouse version."""

from __future__ import annotations

from datetime import date

import duckdb

from queries.connection import cursor
from queries.examples import arguments
from queries.runner import run, sql_of


def _q(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_stage_entries_are_every_non_null_stage_timestamp_of_every_lead(demo_warehouse):
    _, db, _ = demo_warehouse
    # per stage: count(leads.<stage> is not null) = rows of the mart for that stage
    expected = _q(db, """
        select s, count(*) from (
            select 'created_at' s, created_at t from leads union all select 'mql_at', mql_at from leads
            union all select 'sql_at', sql_at from leads union all select 'opportunity_at', opportunity_at from leads
            union all select 'customer_at', customer_at from leads) where t is not null group by s order by s""")
    assert _q(db, "select stage, count(*) from mart_stage_entries group by stage order by stage") == expected
    assert expected[0][1] > 1000
    # each row: the lead's own timestamp, the next stage's, and its attribution, unchanged
    wrong = _q(db, """
        select count(*) from mart_stage_entries m join leads l using (lead_id)
        where m.event_at is distinct from case m.stage when 'created_at' then l.created_at when 'mql_at' then l.mql_at
                  when 'sql_at' then l.sql_at when 'opportunity_at' then l.opportunity_at else l.customer_at end
           or m.next_at is distinct from case m.stage when 'created_at' then l.mql_at when 'mql_at' then l.sql_at
                  when 'sql_at' then l.opportunity_at when 'opportunity_at' then l.customer_at end
           or m.day <> m.event_at::date or m.channel is distinct from l.channel
           or m.platform is distinct from l.platform or m.campaign_name is distinct from l.campaign_name
           or m.owner is distinct from l.owner""")
    assert wrong == [(0,)]


def test_deal_entries_are_created_and_won_deals_with_their_leads_attribution(demo_warehouse):
    _, db, _ = demo_warehouse
    # created rows = deals with a known lead; won rows = those of them won; amounts add up
    expected = _q(db, """
        select count(*), count(*) filter (where d.is_won), sum(d.amount), sum(d.amount) filter (where d.is_won)
        from deals d join leads l using (lead_id)""")
    got = _q(db, """
        select count(*) filter (where kind = 'created'), count(*) filter (where kind = 'won'),
               sum(amount) filter (where kind = 'created'), sum(amount) filter (where kind = 'won')
        from mart_deal_entries""")
    assert got == expected and expected[0][1] > 10


def test_first_touch_is_the_first_rep_activity_after_each_clock_start(demo_warehouse):
    _, db, _ = demo_warehouse
    # rep touches: Salesforce's and HubSpot's non-automated activities, and HubSpot's calls and held
    # meetings from its activity exports (decision record 0132)
    touches = """(select lead_id, occurred_at from activities where not is_automated
                  union all
                  select sl.lead_id, s.touch_at from sales_activities s
                  join sales_activity_leads sl using (activity_id, source_system)
                  where s.source_system = 'hubspot' and s.touch_at is not null)"""
    recomputed = f"""
        select l.lead_id,
            (select min(a.occurred_at) from {touches} a where a.lead_id = l.lead_id
                and a.occurred_at >= l.mql_at) as after_mql,
            (select min(a.occurred_at) from {touches} a where a.lead_id = l.lead_id
                and a.occurred_at >= coalesce(l.owner_assigned_at, l.mql_at)) as after_assigned
        from leads l where l.mql_at is not null"""
    diff = _q(db, f"""
        select count(*) from ({recomputed}) r left join mart_first_touch f using (lead_id)
        where r.after_mql is distinct from f.after_mql_at or r.after_assigned is distinct from f.after_assigned_at""")
    assert diff == [(0,)]
    assert _q(db, "select count(*) from mart_first_touch where after_mql_at is not null")[0][0] > 100


def test_a_shared_base_gives_the_same_rows_as_inlined(demo_warehouse):
    _, db, _ = demo_warehouse
    args = arguments("handoff/speed_and_sla", date(2026, 10, 1), date(2026, 11, 22), grain="week", by="owner")
    con = cursor(db)  # the runner's connection (the query layer's macros: queries/macros.sql)
    inline = con.sql(sql_of("handoff/speed_and_sla"), params=args).pl()  # the base as a CTE
    con.close()
    first = run("handoff/speed_and_sla", db=db, **args)  # computes the base once
    again = run("handoff/speed_and_sla", db=db, **args)  # reads it
    assert inline.height > 10
    assert first.equals(inline) and again.equals(inline)
    other = run("handoff/speed_and_sla", db=db, **{**args, "sla_hours": 0.01})  # other arguments, other base
    assert not other.equals(inline)


def test_filter_options_are_every_channel_platform_campaign_and_owner(demo_warehouse):
    _, db, _ = demo_warehouse
    # the values the tables hold, recomputed: distinct non-null values per kind
    expected = _q(db, """
        select * from (
            select 'channel' k, channel v from ad_spend union select 'channel', channel from leads
            union select 'platform', platform from ad_spend union select 'platform', platform from leads
            union select 'campaign', campaign_name from ad_spend
            union select 'owner', owner from leads union select 'owner', owner from deals)
        where v is not null order by k, v""")
    got = run("filters/options", db=db)
    assert list(got.iter_rows()) == expected
    assert {k for k, _ in expected} == {"channel", "platform", "campaign", "owner"} and len(expected) > 30


def test_sales_meetings_count_every_sales_meeting_by_day_rep_and_what_it_is_about(demo_warehouse):
    _, db, _ = demo_warehouse
    # every sales meeting once (none dropped or doubled by the joins), per day and rep
    per_rep = _q(db, """select booked_at::date, owner, count(*) from sales_activities
                       where is_sales_meeting and not is_automated group by all order by all""")
    assert _q(db, "select day, owner, sum(meetings)::bigint from mart_sales_meetings group by all order by all") == per_rep
    # what each is about: its deal's channel and that deal's lead's platform and campaign, else its lead's
    about = _q(db, """
        select channel, platform, campaign_name, count(*) from (
            select coalesce((select d.channel from deals d where d.deal_id = a.deal_id),
                            case when not exists (select 1 from deals d where d.deal_id = a.deal_id)
                                 then (select l.channel from leads l where l.lead_id = a.lead_id) end) as channel,
                (select l.platform from leads l where l.lead_id = coalesce(
                    (select d.lead_id from deals d where d.deal_id = a.deal_id),
                    case when not exists (select 1 from deals d where d.deal_id = a.deal_id) then a.lead_id end)) as platform,
                (select l.campaign_name from leads l where l.lead_id = coalesce(
                    (select d.lead_id from deals d where d.deal_id = a.deal_id),
                    case when not exists (select 1 from deals d where d.deal_id = a.deal_id) then a.lead_id end)) as campaign_name
            from sales_activities a where a.is_sales_meeting and not a.is_automated)
        group by all order by all""")
    assert _q(db, "select channel, platform, campaign_name, sum(meetings)::bigint from mart_sales_meetings "
                  "group by all order by all") == about
    assert sum(r[-1] for r in per_rep) > 100 and any(r[0] is not None for r in about)


def test_mrr_days_are_each_days_mrr_and_paying_customers(demo_warehouse):
    _, db, _ = demo_warehouse
    expected = _q(db, "select day, sum(mrr), count(*) from mrr_daily group by day order by day")
    assert _q(db, "select day, mrr, customers from mart_mrr_days order by day") == expected and len(expected) > 30
