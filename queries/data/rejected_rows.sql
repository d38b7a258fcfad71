-- Rejected rows with their reasons, newest load first: what could not be read, and why.
-- Grain: one row per rejected record. Parameters: none. Reads: rejected_rows, load_log.
-- Personal data in raw lines was redacted at load time.
select r.load_id, l.finished_at as loaded_at, r.file_name, r.line_number, r.reason, r.raw_line
from rejected_rows r
left join load_log l using (load_id)
order by r.load_id desc, r.line_number
limit 5000
