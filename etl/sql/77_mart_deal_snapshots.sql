-- deal_snapshots: one row per deals / opportunities export: a snapshot of that CRM's pipeline at the
-- export's own time (load_log.exported_at, the time that decides "newest wins": etl/export_time.py),
-- ordered by that time (snapshot_seq per CRM), never by file name or load order. is_full: the export
-- is the CRM's all-deals view (HubSpot `hubspot-crm-exports-all-deals-…`, a report named "All
-- Opportunities"/"All deals") and rejected no row; only a full export says a deal missing from it
-- was deleted. Any other export is a filtered view: it updates the deals it holds and says nothing
-- of the others. docs/decisions/0133-deal-snapshots-are-exports-deletions-only-from-full-ones.md.
create or replace table deal_snapshots as
select
    l.load_id as snapshot_id, l.exported_at as snapshot_at, k.source_system, l.file_name,
    row_number() over (partition by k.source_system order by l.exported_at, l.load_id) as snapshot_seq,
    regexp_matches(l.file_name, '(?i)(^|[^a-z])all[-_ ]?(deals|opportunities)([^a-z]|$)')
        and coalesce(l.rows_rejected, 0) = 0 as is_full
from load_log l
join (select 'hubspot_deals' as adapter, 'hubspot' as source_system
      union all select 'salesforce_opportunities', 'salesforce') k on k.adapter = l.adapter
where l.status like 'loaded%' and l.exported_at is not null
  and l.load_id in (select distinct load_id from snapshot_rows)
order by k.source_system, snapshot_seq;

-- mart_deal_snapshots: each deal's state per snapshot of its CRM. Grain: (snapshot_id, deal_id).
-- A deal enters at the first snapshot that holds it; in a later snapshot it has the state of the
-- last export that held it (in_export says whether this one did); once a later full export lacks
-- it, its status is 'deleted' (until an export holds it again). status: open | won | lost | deleted
-- (the outcome rule of etl/sql/05_deal_stages.sql; an unmapped stage is open, or lost if closed).
-- amount in the reporting currency at config rates (NULL when blank or no rate: amount_local and
-- currency say which); close_date is the export's close date (expected for an open deal);
-- probability a fraction, as exported (NULL when the export has none); stage_probability: config's for
-- the stage ([<crm>] stage_probabilities, the CRM's defaults), what weights a deal the export gives none;
-- channel: the deal's, from deals.
create or replace table mart_deal_snapshots as
with versions as (  -- one staged row per deal and row hash: the state an export's row stands for
    select 'hubspot' as source_system, deal_id, row_hash, deal_name, stage, pipeline, amount, currency,
        closed_at, owner, is_won, is_lost, is_closed, probability, forecast_category
    from stg_hubspot__deals
    qualify row_number() over (partition by deal_id, row_hash order by load_id, source_line) = 1
    union all
    select 'salesforce', opportunity_id, row_hash, opportunity_name, stage, null, amount, currency,
        closed_at, owner, is_won, null, is_closed, probability / 100, forecast_category
    from stg_salesforce__opportunities
    qualify row_number() over (partition by opportunity_id, row_hash order by load_id, source_line) = 1
),

exported as (
    select s.source_system, s.snapshot_seq, r.record_key as deal_id, v.* exclude (source_system, deal_id, row_hash)
    from snapshot_rows r
    join deal_snapshots s on s.snapshot_id = r.load_id
    join versions v on v.source_system = s.source_system and v.deal_id = r.record_key and v.row_hash = r.row_hash
),

decided as (
    select e.*, deal_outcome(e.is_won, e.is_lost, e.is_closed, e.probability, p.outcome, a.outcome) as outcome
    from exported e
    left join config_stages p on p.source_system = e.source_system and p.pipeline <> ''
        and p.pipeline = lower(trim(e.pipeline)) and stage_key(p.stage) = stage_key(e.stage)
    left join config_stages a on a.source_system = e.source_system and a.pipeline = '' and stage_key(a.stage) = stage_key(e.stage)
),

grid as (  -- every snapshot of a CRM x every deal that CRM had exported by then
    select s.snapshot_id, s.snapshot_at, s.snapshot_seq, s.source_system, s.is_full, d.deal_id
    from deal_snapshots s
    join (select source_system, deal_id, min(snapshot_seq) as first_seq from exported group by all) d
        on d.source_system = s.source_system and d.first_seq <= s.snapshot_seq
),

stated as (
    select g.*, e.* exclude (source_system, deal_id, snapshot_seq), e.snapshot_seq as seen_seq
    from grid g
    asof join decided e on e.source_system = g.source_system and e.deal_id = g.deal_id and g.snapshot_seq >= e.snapshot_seq
),

judged as (
    select st.*, f.snapshot_seq as full_seq
    from stated st
    asof left join (select source_system, snapshot_seq from deal_snapshots where is_full) f
        on f.source_system = st.source_system and st.snapshot_seq >= f.snapshot_seq
)

select
    j.snapshot_id, j.snapshot_at, j.snapshot_seq, j.source_system, j.is_full, j.deal_id,
    j.seen_seq = j.snapshot_seq as in_export,
    case when coalesce(j.full_seq > j.seen_seq, false) then 'deleted'
         when j.outcome = 'won' then 'won'
         when j.outcome = 'lost' or (j.outcome = 'unmapped' and coalesce(j.is_closed, false)) then 'lost'
         else 'open' end as status,
    j.stage, to_reporting(j.amount, fx.rate) as amount, j.amount as amount_local, j.currency,
    j.closed_at::date as close_date, j.probability, cp.probability as stage_probability,
    case lower(trim(j.forecast_category))
        when 'closed won' then 'closed' when 'best case' then 'best_case' when 'omitted' then 'omitted'
        else replace(lower(trim(j.forecast_category)), ' ', '_') end as forecast_category,
    j.owner, coalesce(d.channel, 'other') as channel, j.deal_name
from judged j
left join deals d on d.deal_id = j.deal_id and d.source_system = j.source_system
left join config_fx fx on fx.currency = coalesce(j.currency, (select reporting_currency from config_reporting))
left join config_stage_probabilities cp on cp.source_system = j.source_system and stage_key(cp.stage) = stage_key(j.stage)
order by j.snapshot_at, j.snapshot_seq, j.deal_id;
