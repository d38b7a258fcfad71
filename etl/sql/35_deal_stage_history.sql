-- deal_stage_history: one row per change of a Salesforce opportunity's stage, amount, probability
-- or close date (Opportunity History report). Key: (deal_id, changed_at, to_stage). changed_at is
-- UTC. from_stage is the report's "From Stage", else the stage of the deal's previous change.
-- amount in the reporting currency (currency kept). Rows whose stage did not change (amount or
-- close date edits) are kept: queries/sales/time_in_stage.sql counts a stay from the first row of
-- a stage to the next row with another stage.
create or replace table deal_stage_history as
select
    h.opportunity_id as deal_id, 'salesforce' as source_system,
    coalesce(h.from_stage, lag(h.to_stage) over (partition by h.opportunity_id order by h.changed_at, h.source_line)) as from_stage,
    h.to_stage, to_reporting(h.amount, fx.rate) as amount, h.currency, h.close_date, h.changed_at,
    h.probability, h.changed_by
from latest_salesforce__opportunity_history h
left join config_fx fx on fx.currency = coalesce(h.currency, (select reporting_currency from config_reporting))
order by h.opportunity_id, h.changed_at;
