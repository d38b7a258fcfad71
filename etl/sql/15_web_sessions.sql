-- web_sessions: GA4 sessions by day, one row per report, day and dimension value. Grain: (report,
-- date, channel_group | source_medium | landing_page). `report` says which GA4 report a row comes
-- from ('channel', 'source_medium', 'landing_page'): the three are the same sessions cut three ways,
-- so a sum is taken within ONE report, never across them. Dimension values are kept as GA4 writes
-- them: '(not set)' and '' are values that count (sessions without a page_view, an empty page).
-- channel: Revline's channel of the row (config/channels.toml): from the GA4 channel group
-- (`ga4_channel_group` rules, web_channel_of), from source / medium through the UTM rules, and NULL
-- in the landing page report, which has no channel dimension.
-- Reads _web_rows (every GA4 contract's staging rows in one vocabulary, etl/unified.py). The newest
-- export wins per report, day and dimension value: newest by the export's own time (load_log
-- .exported_at, the report's end date for GA4, etl/export_time.py), never load order ({version_order}).
create or replace table web_sessions as
with latest as (
    select v.* from _web_rows v left join load_log lg on lg.load_id = v.load_id
    qualify row_number() over (
        partition by v.report, v.date, v.channel_group, v.source_medium, v.landing_page order by {version_order}) = 1
),

split as (
    select *,
        case when contains(source_medium, ' / ') then trim(split_part(source_medium, ' / ', 1)) else source_medium end as source,
        case when contains(source_medium, ' / ') then trim(source_medium[length(split_part(source_medium, ' / ', 1)) + 4:]) end as medium
    from latest
)

select
    date, report,
    case report
        when 'channel' then web_channel_of(channel_group)
        when 'source_medium' then channel_of(null, source, medium, null, null)
    end as channel,
    channel_group, source, medium, landing_page,
    coalesce(sessions, 0)::bigint as sessions, users::bigint as users, new_users::bigint as new_users,
    engaged_sessions::bigint as engaged_sessions, key_events::double as key_events, load_id
from split
order by date, report, channel, channel_group, source_medium, landing_page;
