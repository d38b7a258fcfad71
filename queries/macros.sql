-- The query layer's shared expressions, installed on the app's read-only connection
-- (queries/connection.py) so every query file calls them instead of restating them. Warehouse
-- macros (in_selection, norm_campaign: etl/sql/00_macros.sql) are stored in the file; these live
-- with the queries, so changing one needs no reload. Arguments named sel_* take a view's
-- dimension binding as queries/view.py gives it: a list of values, or NULL for all.

-- A row's attribution in the view: its channel, ad platform and campaign are among the chosen (ad
-- spend, leads and their stage entries; a lead's owner is cut apart, as ad spend has none).
create or replace macro attribution_in_view(channel, platform, campaign, sel_channel, sel_platform, sel_campaign) as
    in_selection(channel, sel_channel) and in_selection(platform, sel_platform)
    and in_selection(campaign, sel_campaign);

-- A deal in the view: cut by its own channel and owner, and by its lead's platform and campaign
-- (a deal carries no platform or campaign of its own). With no platform or campaign chosen, a deal
-- without a lead still counts. The subquery repeats that test inside: DuckDB plans it as a join of
-- the deals with every lead whatever the parameters, and the guard empties the leads side when no
-- platform or campaign is chosen (the default view), 4x less work for each query reading deals
-- (docs/benchmarks.md "Where the time went").
create or replace macro deal_in_view(deal_channel, deal_owner, deal_lead_id,
                                     sel_channel, sel_owner, sel_platform, sel_campaign) as
    in_selection(deal_channel, sel_channel) and in_selection(deal_owner, sel_owner)
    and (sel_platform is null and sel_campaign is null
         or exists (select 1 from leads l where (sel_platform is not null or sel_campaign is not null)
                    and l.lead_id = deal_lead_id
                    and in_selection(l.platform, sel_platform)
                    and in_selection(l.campaign_name, sel_campaign)));

-- The deals in the view, every column (deal_in_view on each).
create or replace macro deals_in_view(sel_channel, sel_owner, sel_platform, sel_campaign) as table
    select * from deals d
    where deal_in_view(d.channel, d.owner, d.lead_id, sel_channel, sel_owner, sel_platform, sel_campaign);

-- The period a timestamp falls in at $grain 'day' | 'week' | 'month' | 'quarter', or 'total': one
-- period for the whole range, dated its first day. An unknown grain counts by day.
create or replace macro period_of(grain, start_date, ts) as
    case when grain = 'total' then start_date::date
         else date_trunc(case when grain in ('day', 'week', 'month', 'quarter') then grain else 'day' end, ts)::date
    end;

-- The segment a row falls in at $by 'channel' | 'platform' | 'campaign' | 'owner' (no owner:
-- '(no owner)'), anything else 'all' (the total). Pass NULL for a dimension the rows lack.
create or replace macro segment_of(seg_by, channel, platform, campaign, owner) as
    case seg_by when 'channel' then channel when 'platform' then platform when 'campaign' then campaign
            when 'owner' then coalesce(owner, '(no owner)') else 'all' end;

-- The platform beside a campaign segment (campaign names can repeat across platforms); NULL otherwise.
create or replace macro segment_platform(seg_by, platform) as
    case when seg_by = 'campaign' then platform end;

-- The configured score bands ([[scoring.band]] in config/revline.toml, as queries/settings.py binds
-- them: parallel lists, highest band first), with "Unscored" last: band, band_order, min_score.
create or replace macro score_band_list(band_names, band_mins) as table
    select unnest(band_names) as score_band, generate_subscripts(band_names, 1) as band_order,
        unnest(band_mins)::double as min_score
    union all
    select 'Unscored', len(band_names) + 1, null;

-- A lead's score band: the band with the highest min_score its numeric score reaches; a lead without
-- a score (or below every min_score) takes the band listing its Salesforce Rating (case-insensitive);
-- else 'Unscored'. A scalar, so a query bands only the leads it reads (a join over every lead cost
-- the Handoff page two thirds of its score-band time).
create or replace macro band_reached(band_names, band_mins, reached) as
    case when reached is not null then band_names[list_position(band_mins::double[], reached)] end;

create or replace macro rating_band(rating_values, rating_bands, rating) as
    case when nullif(lower(trim(rating)), '') is not null
         then rating_bands[list_position(rating_values, lower(trim(rating)))] end;

create or replace macro score_band_of(score, rating, band_names, band_mins, rating_values, rating_bands) as
    coalesce(band_reached(band_names, band_mins, list_max(list_filter(band_mins::double[], lambda m: m <= score))),
             rating_band(rating_values, rating_bands, rating), 'Unscored');

-- Every lead's score band (score_band_of): lead_id, score_band.
create or replace macro lead_bands(band_names, band_mins, rating_values, rating_bands) as table
    select lead_id, score_band_of(lead_score, lead_rating, band_names, band_mins, rating_values, rating_bands) as score_band
    from leads;

-- The GA4 sessions of a range, read from ONE traffic report per day (web_sessions holds the same
-- sessions cut three ways, so a sum is never taken across reports): the Traffic acquisition report
-- by session channel group where the day has it, else the one by session source / medium. The
-- Landing page report has no channel and is not read here. Every column of web_sessions.
create or replace macro traffic_sessions(start_date, end_date) as table
    with days as (  -- per day, the one report read (1: by channel group, 2: by source / medium)
        select date, min(case report when 'channel' then 1 else 2 end) as pick
        from web_sessions
        where date between start_date and end_date and report in ('channel', 'source_medium')
        group by date
    )
    select w.* from web_sessions w
    join days d on d.date = w.date and w.report = case d.pick when 1 then 'channel' else 'source_medium' end;

-- The Search Console export ranges (search_queries: one export's top queries for its whole range)
-- that count for a view, per property: those lying wholly in it, less a range inside a longer one
-- that counts (a quarter's export and its months' exports are not added twice); a range reaching
-- outside the view cannot be cut to it and is left out. Columns: property, range_start, range_end.
create or replace macro search_ranges(start_date, end_date) as table
    with in_view as (
        select distinct property, range_start, range_end
        from search_queries
        where range_start >= start_date and range_end <= end_date
    )
    select r.* from in_view r
    where not exists (select 1 from in_view o
                      where o.property = r.property and o.range_start <= r.range_start and o.range_end >= r.range_end
                        and (o.range_start, o.range_end) <> (r.range_start, r.range_end));

-- A Search Console query is brand when it contains one of the terms ([web] brand_terms), case-
-- insensitive; blank terms are none ("acme" matches "ACME login"; "acmee" needs a term of its own).
create or replace macro brand_query(search_query, terms) as
    len(list_filter(terms, lambda t: trim(t) <> '' and contains(lower(search_query), lower(t)))) > 0;
