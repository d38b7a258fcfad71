-- Deal stages mapped to no outcome: counted open until config/revline.toml lists them as won, lost
-- or open (docs/decisions/0038-unlisted-deal-stages-count-as-open-and-are-reported.md). Grain: one row per source x pipeline x stage.
-- Parameters: none. config_line is the line to add (or use won / lost instead of open).
-- Reads: deals.
select
    source_system, pipeline, stage, count(*) as deals,
    case when pipeline is not null
        then '[' || source_system || '.pipelines."' || pipeline || '"] open = ["' || stage || '"]'
        else '[' || source_system || '] open_stages = [..., "' || stage || '"]' end as config_line
from deals
where stage_outcome = 'unmapped'
group by all
order by deals desc, source_system, pipeline, stage
