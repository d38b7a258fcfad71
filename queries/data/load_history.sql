-- What was loaded when: one row per file load, newest first.
-- Grain: one row per load_log entry. Parameters: none.
-- rows_read = rows_loaded + rows_merged + rows_rejected + rows_duplicate for every row (merged: ad
-- rows summed into their campaign and day; skipped rows are blank, total and footer lines, not
-- records). Reads: load_log.
select
    load_id, finished_at, file_name, adapter, status, rows_read, rows_loaded, rows_merged, rows_rejected,
    rows_duplicate, rows_skipped, message
from load_log
order by load_id desc
