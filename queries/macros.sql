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
