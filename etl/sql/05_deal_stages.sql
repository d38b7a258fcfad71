-- Deal outcome from what the export says, then from config (DECISIONS.md "Deal stages").
-- The export's own flags decide first: won / lost flags, else closed with probability 1 (won) or 0
-- or not won (lost), else "not closed" (open). Otherwise the stage lists of config_stages: the
-- deal's pipeline's own list before the lists for every pipeline; labels compared case-insensitively.
-- A stage in no list is 'unmapped': counted open (or closed not won, if the export says closed), and
-- listed by the load and on the Data page (etl/stages.py, queries/data/unmapped_stages.sql).
-- Probability is a fraction (Salesforce's percent is divided by 100 by the caller).
create or replace macro stage_configured(p_source, p_pipeline, p_stage) as coalesce(
    (select any_value(c.outcome) from config_stages c
     where c.source_system = p_source and c.pipeline <> '' and c.pipeline = lower(trim(p_pipeline))
       and c.stage = lower(trim(p_stage))),
    (select any_value(c.outcome) from config_stages c
     where c.source_system = p_source and c.pipeline = '' and c.stage = lower(trim(p_stage))));

create or replace macro deal_outcome(p_source, p_pipeline, p_stage, p_won, p_lost, p_closed, p_probability) as coalesce(
    case
        when p_won then 'won'
        when p_lost then 'lost'
        when p_closed and p_probability >= 1 then 'won'
        when p_closed and (p_probability = 0 or p_won = false) then 'lost'
        when p_closed = false then 'open'
    end,
    case when p_closed then nullif(stage_configured(p_source, p_pipeline, p_stage), 'open')
         else stage_configured(p_source, p_pipeline, p_stage) end,
    'unmapped');
