-- What days the loaded exports cover, per source and account, with the gaps between them: the one
-- input of the app's "data through" notices, incomplete tiles, default range and coverage timeline,
-- and of the summary command's coverage notes (queries/coverage.py reads it).
-- Grain: one row per covered stretch or gap (status 'covered' | 'gap') of a source (adapter) and
-- account (ad platforms; '' for CRM export types). kind: 'ads' | 'leads' | 'deals' | 'activities'.
-- Parameters: none. Reads: mart_coverage (etl/sql/85_*: the rules for covered days and gaps).
select kind, adapter, label, platform, account_id, account_name, status, first_day, last_day, days,
    last_loaded_at, last_exported_at
from mart_coverage
order by kind, adapter, account_id, first_day
