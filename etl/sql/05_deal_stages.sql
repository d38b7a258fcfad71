-- Deal outcome from what the export says, then from config (docs/decisions/0037-deal-outcome-from-crm-flags-then-stage-lists.md).
-- The export's own flags decide first: won / lost flags, else closed with probability 1 (won) or 0
-- or not won (lost), else "not closed" (open). Otherwise the stage lists of config_stages: the
-- deal's pipeline's own list (p_pipeline_outcome) before the lists for every pipeline
-- (p_any_outcome); callers look both up by lower(trim(label)) with left joins. A stage in no list is
-- 'unmapped': counted open (closed not won, if the export says closed), and listed by the load and
-- on the Data page (etl/deal_stages.py, queries/data/unmapped_stages.sql). Probability is a fraction.
-- A stage label as compared with config: case, punctuation and spacing do not count ("Closed: won"
-- is "Closed Won"; "Closed: abandoned" is still its own stage). docs/decisions/0037-deal-outcome-from-crm-flags-then-stage-lists.md.
create or replace macro stage_key(s) as nullif(trim(regexp_replace(lower(s), '[^\pL\pN]+', ' ', 'g')), '');

create or replace macro deal_outcome(p_won, p_lost, p_closed, p_probability, p_pipeline_outcome, p_any_outcome) as coalesce(
    case
        when p_won then 'won'
        when p_lost then 'lost'
        when p_closed and p_probability >= 1 then 'won'
        when p_closed and (p_probability = 0 or p_won = false) then 'lost'
        when p_closed = false then 'open'
    end,
    case when p_closed then nullif(coalesce(p_pipeline_outcome, p_any_outcome), 'open')
         else coalesce(p_pipeline_outcome, p_any_outcome) end,
    'unmapped');
