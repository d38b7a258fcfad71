-- deals: one row per deal / opportunity across HubSpot and Salesforce. Key: deal_id.
-- is_won / is_closed / stage_outcome (won, lost, open, unmapped) come from the export's own flags
-- and otherwise from the stage lists in config (etl/sql/05_deal_stages.sql); an unmapped stage is
-- open (closed if the export says so) and listed on the Data page. closed_at is set only for closed deals; an
-- open deal's expected close date is expected_close_at. Amounts in the reporting currency.
-- lead_id: HubSpot "Associated Contact IDs" (or the contact's "Associated Deal IDs"), Salesforce
-- the lead whose "Converted Opportunity ID" is this opportunity; mapped through merged leads.
create or replace table deals as
with hs as (
    select * from latest_hubspot__deals
),

hs_contact_deals as (
    select deal_id, min(contact_id) as contact_id
    from (select trim(unnest(string_split(deal_ids, ';'))) as deal_id, contact_id from (
        select * from latest_hubspot__contacts
    )
    where deal_ids is not null)
    group by deal_id
),

sf as (
    select * from latest_salesforce__opportunities
),

sf_converted as (
    select converted_opportunity_id as deal_id, arg_max(lead_id, coalesce(converted_at, created_at)) as lead_id
    from latest_salesforce__leads where converted_opportunity_id is not null
    group by 1
),

unified as (
    select
        hs.deal_id, 'hubspot' as source_system,
        coalesce(nullif(trim(split_part(hs.contact_ids, ';', 1)), ''), cd.contact_id) as source_lead_id,
        hs.company, hs.deal_name, hs.created_at, hs.closed_at as close_date, hs.pipeline, hs.stage,
        hs.is_won, hs.is_lost, hs.is_closed, hs.probability,
        hs.amount as amount_local, hs.currency, hs.owner, hs.forecast_category,
        hs.original_source, null::varchar as lead_source
    from hs
    left join hs_contact_deals cd on cd.deal_id = hs.deal_id
    union all
    select
        sf.opportunity_id, 'salesforce', c.lead_id, sf.company, sf.opportunity_name, sf.created_at,
        sf.closed_at, null, sf.stage, sf.is_won, null, sf.is_closed, sf.probability / 100,
        sf.amount, sf.currency, sf.owner, sf.forecast_category, null, sf.lead_source
    from sf
    left join sf_converted c on c.deal_id = sf.opportunity_id
),

outcomes as (
    -- once per distinct combination, not once per deal (stage_outcome: etl/sql/05_deal_stages.sql)
    select k.*, deal_outcome(k.is_won, k.is_lost, k.is_closed, k.probability, p.outcome, a.outcome) as stage_outcome
    from (select distinct source_system, pipeline, stage, is_won, is_lost, is_closed, probability from unified) k
    left join config_stages p on p.source_system = k.source_system and p.pipeline <> ''
        and p.pipeline = lower(trim(k.pipeline)) and stage_key(p.stage) = stage_key(k.stage)
    left join config_stages a on a.source_system = k.source_system and a.pipeline = '' and stage_key(a.stage) = stage_key(k.stage)
),

decided as (
    select u.* exclude (is_won, is_lost, is_closed, probability), o.stage_outcome,
        o.stage_outcome in ('won', 'lost') or (o.stage_outcome = 'unmapped' and coalesce(u.is_closed, false)) as is_closed,
        o.stage_outcome = 'won' as is_won
    from unified u
    join outcomes o on o.source_system = u.source_system and o.pipeline is not distinct from u.pipeline
        and o.stage is not distinct from u.stage and o.is_won is not distinct from u.is_won
        and o.is_lost is not distinct from u.is_lost and o.is_closed is not distinct from u.is_closed
        and o.probability is not distinct from u.probability
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
    u.amount_local, u.deal_name, u.pipeline, u.stage_outcome
from decided u
left join lead_id_map m on m.source_lead_id = u.source_lead_id
left join leads l on l.lead_id = m.lead_id
left join config_fx fx on fx.currency = coalesce(u.currency, (select reporting_currency from config_reporting))
order by u.created_at, u.deal_id;
