-- leads: one row per person who entered the funnel, across HubSpot contacts and Salesforce leads.
-- Key: lead_id (the CRM record id). The same person in both CRMs (same email_hash) is merged into
-- the earliest-created record; stage timestamps take the earliest of the records
-- (docs/decisions/0034-records-with-the-same-email-hash-are-one-lead.md). Times are UTC.
-- Attribution: platform from utm_source (config/channels.toml [[platform]]) or HubSpot's original
-- source drill-down; campaign from utm_campaign matched on norm_campaign() to ad_spend campaigns.
-- first_touch_at: Salesforce, the first non-automated task or event; HubSpot, the earliest human
-- activity (a call, a held meeting: _activity_rows.touch_at) when one touched the contact, else the
-- contact's `First outreach date`; first_touch_source says which ('activities' | 'contact property').
-- lead_score: HubSpot Score, or the Salesforce field [scoring] salesforce_score_field names;
-- lead_rating: Salesforce Rating (Hot / Warm / Cold). Of the master record.
create or replace temp table _crm_people as
with hs as (
    select * from latest_hubspot__contacts
),

sf as (
    select * from latest_salesforce__leads
),

sf_opps as (
    select * from latest_salesforce__opportunities
),

sf_touch as (
    select a.lead_id, min(a.created_at) as first_touch_at
    from (
        select * from latest_salesforce__activities
    ) a
    where a.lead_id is not null
      and not exists (select 1 from config_automation c where c.kind = 'assignee' and lower(a.owner) = lower(c.pattern))
      and not exists (select 1 from config_automation c where c.kind = 'subject' and a.subject ilike c.pattern)
    group by a.lead_id
),

hs_touch as (  -- HubSpot: the earliest human activity of each contact (etl/sql/15_activity_rows.sql)
    select touched_id, min(touch_at) as first_touch_at
    from (select unnest(source_lead_ids) as touched_id, touch_at from _activity_rows
          where source_system = 'hubspot' and touch_at is not null)
    group by touched_id
),

unified as (
    select
        contact_id as lead_id, 'hubspot' as source_system, coalesce(least(created_at, became_lead_at), created_at) as created_at,
        email_hash, company, owner, lifecycle_stage as source_stage, lead_status,
        coalesce(utm_source, case when lower(original_source) = 'paid social' then original_source_dd1 end) as utm_source,
        coalesce(utm_medium, case lower(original_source) when 'paid social' then 'paid' when 'paid search' then 'cpc' end) as utm_medium,
        coalesce(utm_campaign, case
            when lower(original_source) in ('paid social', 'organic social') then original_source_dd2
            when lower(original_source) in ('paid search', 'email marketing') then original_source_dd1 end) as utm_campaign,
        case when lower(original_source) = 'paid search' then 'google_ads' end as platform_hint,
        original_source, null::varchar as lead_source,
        mql_at, sql_at, coalesce(ht.first_touch_at, hs.first_touch_at) as first_touch_at, opportunity_at, customer_at,
        disqualified_at, disqualified_reason, owner_assigned_at,
        -- the contact property is the fallback when no loaded activity touched the contact (0132)
        case when ht.first_touch_at is not null then 'activities' when hs.first_touch_at is not null then 'contact property' end
            as first_touch_source,
        hs.score, null::varchar as rating
    from hs
    left join hs_touch ht on ht.touched_id = hs.contact_id
    union all
    select
        sf.lead_id, 'salesforce', sf.created_at, sf.email_hash, sf.company, sf.owner, sf.lead_status,
        sf.lead_status, sf.utm_source, sf.utm_medium, sf.utm_campaign,
        case when lower(sf.lead_source) in ('paid search', 'google ads', 'adwords') then 'google_ads' end,
        null, sf.lead_source,
        sf.mql_at, sf.sql_at, t.first_touch_at,
        case when sf.converted_opportunity_id is not null then coalesce(o.created_at, sf.converted_at) end,
        case when coalesce(o.is_won, stage_key(o.stage) in (select stage_key(stage) from config_stages where source_system = 'salesforce' and outcome = 'won'))
             then o.closed_at end,
        coalesce(sf.disqualified_at, case when sf.disqualified_reason is not null then sf.created_at end),
        sf.disqualified_reason, null::timestamp,
        case when t.first_touch_at is not null then 'activities' end, sf.score, sf.rating
    from sf
    left join sf_opps o on o.opportunity_id = sf.converted_opportunity_id
    left join sf_touch t on t.lead_id = sf.lead_id
)
select * from unified;

-- Which CRM record was merged into which lead, for deals and activities that point at either.
create or replace table lead_id_map as
select lead_id as source_lead_id, source_system,
    first_value(lead_id) over person as lead_id,
    first_value(source_system) over person as lead_source_system
from _crm_people
window person as (
    partition by coalesce(email_hash, source_system || ':' || lead_id)
    order by created_at, source_system, lead_id);

create or replace table leads as
with stages as (
    -- each stage timestamp is the earliest any of the person's records shows
    select
        m.lead_id, m.lead_source_system,
        min(u.created_at) as created_at,
        min(u.mql_at) as mql_at, min(u.sql_at) as sql_at, min(u.first_touch_at) as first_touch_at,
        min(u.opportunity_at) as opportunity_at, min(u.customer_at) as customer_at,
        min(u.owner_assigned_at) as owner_assigned_at,
        arg_min(u.first_touch_source, u.first_touch_at) as first_touch_source,
        bool_or(coalesce(lower(u.lead_status) like '%recycl%', false)) as is_recycled,
        count(*) as source_records,
        string_agg(u.source_system || ':' || u.lead_id, ',' order by u.source_system, u.lead_id)
            filter (where u.lead_id <> m.lead_id) as merged_lead_ids
    from _crm_people u
    join lead_id_map m on m.source_lead_id = u.lead_id and m.source_system = u.source_system
    group by m.lead_id, m.lead_source_system
),

merged as (
    -- everything else comes from the earliest-created record (the master)
    select
        s.lead_id, p.source_system, s.created_at, p.email_hash, p.company, p.owner, p.lead_status,
        p.utm_source, p.utm_medium, p.utm_campaign, p.platform_hint, p.original_source, p.lead_source,
        s.mql_at, s.sql_at, s.first_touch_at, s.opportunity_at, s.customer_at,
        p.disqualified_at, p.disqualified_reason, s.owner_assigned_at, s.is_recycled,
        s.source_records, s.merged_lead_ids, s.first_touch_source, p.score, p.rating
    from stages s
    join _crm_people p on p.lead_id = s.lead_id and p.source_system = s.lead_source_system
),

campaign_keys as (
    -- normalised once per distinct spelling, not once per lead
    select utm_campaign, norm_campaign(utm_campaign) as campaign_key
    from (select distinct utm_campaign from merged where utm_campaign is not null)
),

attributed as (
    select m.*, coalesce(ps.platform, m.platform_hint) as platform, k.campaign_key
    from merged m
    left join config_platform_sources ps on ps.utm_source = lower(trim(m.utm_source))
    left join campaign_keys k on k.utm_campaign = m.utm_campaign
),

campaigns as (
    select platform, campaign_key, arg_max(campaign_name, date) as campaign_name, arg_max(campaign_id, date) as campaign_id
    from ad_spend group by platform, campaign_key
),

first_platform as (
    -- a lead without a known platform matches the campaign key on the first platform (by name)
    select campaign_key, min(platform) as platform from campaigns group by campaign_key
),

linked as (
    select a.*, c.platform as matched_platform, c.campaign_name as matched_name, c.campaign_id
    from attributed a
    left join first_platform f on f.campaign_key = a.campaign_key
    left join campaigns c on c.campaign_key = a.campaign_key and c.platform = coalesce(a.platform, f.platform)
),

combos as (
    select distinct coalesce(platform, matched_platform) as platform, utm_source, utm_medium, original_source, lead_source,
        hash(coalesce(platform, matched_platform), utm_source, utm_medium, original_source, lead_source) as combo
    from linked
),

combo_channels as (
    select combo, channel_of(platform, utm_source, utm_medium, original_source, lead_source) as channel from combos
)

select
    l.lead_id, l.source_system, l.created_at, l.email_hash, l.company, cc.channel,
    l.utm_source, l.utm_medium, l.utm_campaign, coalesce(l.platform, l.matched_platform) as platform,
    coalesce(l.matched_name, l.utm_campaign) as campaign_name, l.campaign_id, l.owner,
    case
        when l.customer_at is not null then 'customer'
        when l.opportunity_at is not null then 'opportunity'
        when l.sql_at is not null then 'sql'
        when l.disqualified_at is not null or l.disqualified_reason is not null then 'disqualified'
        when l.mql_at is not null then 'mql'
        else 'lead'
    end as lifecycle_stage,
    l.mql_at, l.sql_at, l.first_touch_at, l.opportunity_at, l.customer_at, l.disqualified_at,
    l.disqualified_reason, l.lead_status, l.is_recycled, l.owner_assigned_at, l.original_source,
    l.lead_source, l.source_records, l.merged_lead_ids, l.first_touch_source,
    l.score as lead_score, l.rating as lead_rating
from linked l
left join combo_channels cc
    on cc.combo = hash(coalesce(l.platform, l.matched_platform), l.utm_source, l.utm_medium, l.original_source, l.lead_source)
order by l.created_at, l.lead_id;

