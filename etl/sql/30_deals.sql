-- deals: one row per deal / opportunity across HubSpot and Salesforce. Key: deal_id.
-- is_won / is_closed come from the export's own flags ("Is Closed Won", "Closed", "Won") and
-- otherwise from the won/lost stage lists in config. closed_at is set only for closed deals; an
-- open deal's expected close date is expected_close_at. Amounts in the reporting currency.
-- lead_id: HubSpot "Associated Contact IDs" (or the contact's "Associated Deal IDs"), Salesforce
-- the lead whose "Converted Opportunity ID" is this opportunity; mapped through merged leads.
create or replace table deals as
with stages as (select * from config_stages),

hs as (
    select * from stg_hubspot__deals
    qualify row_number() over (partition by deal_id order by load_id desc, source_line desc) = 1
),

hs_contact_deals as (
    select deal_id, min(contact_id) as contact_id
    from (select trim(unnest(string_split(deal_ids, ';'))) as deal_id, contact_id from (
        select * from stg_hubspot__contacts
        qualify row_number() over (partition by contact_id order by load_id desc, source_line desc) = 1
    )
    where deal_ids is not null)
    group by deal_id
),

sf as (
    select * from stg_salesforce__opportunities
    qualify row_number() over (partition by opportunity_id order by load_id desc, source_line desc) = 1
),

sf_converted as (
    select converted_opportunity_id as deal_id, arg_max(lead_id, load_id) as lead_id
    from stg_salesforce__leads where converted_opportunity_id is not null
    group by 1
),

unified as (
    select
        hs.deal_id, 'hubspot' as source_system,
        coalesce(nullif(trim(split_part(hs.contact_ids, ';', 1)), ''), cd.contact_id) as source_lead_id,
        hs.company, hs.deal_name, hs.created_at, hs.closed_at as close_date, hs.stage,
        coalesce(hs.is_won, false) or coalesce(hs.is_lost, false)
            or lower(hs.stage) in (select stage from stages where source_system = 'hubspot') as is_closed,
        coalesce(hs.is_won, lower(hs.stage) in (select stage from stages where source_system = 'hubspot' and outcome = 'won')) as is_won,
        hs.amount as amount_local, hs.currency, hs.owner, hs.forecast_category,
        hs.original_source, null::varchar as lead_source
    from hs
    left join hs_contact_deals cd on cd.deal_id = hs.deal_id
    union all
    select
        sf.opportunity_id, 'salesforce', c.lead_id, sf.company, sf.opportunity_name, sf.created_at,
        sf.closed_at, sf.stage,
        coalesce(sf.is_closed, lower(sf.stage) in (select stage from stages where source_system = 'salesforce')),
        coalesce(sf.is_won, lower(sf.stage) in (select stage from stages where source_system = 'salesforce' and outcome = 'won')),
        sf.amount, sf.currency, sf.owner, sf.forecast_category, null, sf.lead_source
    from sf
    left join sf_converted c on c.deal_id = sf.opportunity_id
)

select
    u.deal_id, u.source_system, m.lead_id, u.company, u.created_at,
    case when u.is_closed then u.close_date end as closed_at,
    u.stage, u.is_closed, u.is_won and u.is_closed as is_won,
    to_reporting(u.amount_local, fx.rate) as amount, u.currency, u.owner,
    coalesce(l.channel, channel_of(null, null, null, u.original_source, u.lead_source)) as channel,
    case lower(trim(u.forecast_category))
        when 'closed won' then 'closed' when 'best case' then 'best_case' when 'omitted' then 'omitted'
        else replace(lower(trim(u.forecast_category)), ' ', '_') end as forecast_category,
    case when not u.is_closed then u.close_date end as expected_close_at,
    u.amount_local, u.deal_name
from unified u
left join lead_id_map m on m.source_lead_id = u.source_lead_id
left join leads l on l.lead_id = m.lead_id
left join config_fx fx on fx.currency = coalesce(u.currency, (select reporting_currency from config_reporting))
order by u.created_at, u.deal_id;
