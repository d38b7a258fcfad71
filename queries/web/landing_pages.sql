-- Landing pages (GA4 Landing page report): which pages do visits start on, and which of them turn
-- visits into key events?
-- Grain: one row per landing page ($by = 'landing_page') or one for the range ($by = 'total', its
-- landing_page NULL). Parameters:
--   $start_date, $end_date  inclusive DATE range (web_sessions.date, the GA4 property's day)
--   $by        'landing_page' | 'total'
--   $min_landing_sessions  config/revline.toml [web] min_landing_sessions (queries/settings.py): a
--              page with fewer sessions in the range is not ranked (`ranked` false, listed after the
--              ranked pages): its rate swings on a handful of visits
-- Pages are as GA4 writes them: '(not set)' (sessions without a page_view) and '' are pages that count.
-- The report has no channel, ad platform, campaign or rep, so this query takes no dimension
-- (registry.toml not_split_by).
-- Metrics (ratios of sums; NULL when the denominator is 0):
--   sessions, users, key_events   sums of the Landing page report's rows
--   landing_page_conversion_rate  key_events / sessions (GA4 key events: several can happen in one
--                                 session, so the rate can exceed 1)
--   ranked     sessions >= $min_landing_sessions: ranked pages come first, by conversion rate
-- No row at all where the report has no row in the range: "no data", never 0.
-- Reads: web_sessions (report 'landing_page').
select
    case when $by = 'landing_page' then landing_page end as landing_page,
    sum(sessions) as sessions,
    sum(users) as users,
    sum(key_events) as key_events,
    sum(key_events) / nullif(sum(sessions), 0) as landing_page_conversion_rate,
    sum(sessions) >= $min_landing_sessions as ranked
from web_sessions
where report = 'landing_page' and date between $start_date and $end_date
group by all
order by ranked desc, landing_page_conversion_rate desc nulls last, sessions desc, landing_page
