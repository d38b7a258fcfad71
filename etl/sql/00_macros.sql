-- Shared macros, stored in the warehouse so users' own queries can use them too.

-- Campaign names as they travel in UTMs differ only in case, `+`, `%20`, `_` and spaces
-- ("q1+demand+gen+-+us" = "Q1 Demand Gen - US"): compare on this key. docs/decisions/0035-leads-link-to-campaigns-by-utm-and-normalised-name.md.
create or replace macro norm_campaign(s) as
    nullif(trim(regexp_replace(lower(replace(replace(replace(s, '%20', ' '), '+', ' '), '_', ' ')), '\s+', ' ', 'g')), '');

-- Money in the reporting currency: `rate` comes from config_fx (config [fx]).
create or replace macro to_reporting(amount, rate) as round(amount * rate, 2)::decimal(18, 2);

-- Channel of any combination of attribution fields: the first rule in config/channels.toml whose
-- conditions all hold. Returns 'other' when no rule matches.
create or replace macro channel_of(p_platform, p_utm_source, p_utm_medium, p_original_source, p_lead_source) as
    coalesce((
        select arg_min(r.channel, r.rule_no)
        from config_channel_rules r
        where (r.platform is null or list_contains(r.platform, lower(trim(p_platform))))
          and (r.utm_source is null or list_contains(r.utm_source, lower(trim(p_utm_source))))
          and (r.utm_medium is null or list_contains(r.utm_medium, lower(trim(p_utm_medium))))
          and (r.original_source is null or list_contains(r.original_source, lower(trim(p_original_source))))
          and (r.lead_source is null or list_contains(r.lead_source, lower(trim(p_lead_source))))
          and r.ga4_channel_group is null  -- those rules map GA4 channel groups only (web_channel_of)
    ), 'other');

-- Channel of a GA4 session channel group ("Paid Search", "AI Assistant"): the first rule of
-- config/channels.toml with a `ga4_channel_group` that lists it; 'other' when none does
-- ("Unassigned", "(not set)", '').
create or replace macro web_channel_of(p_group) as
    coalesce((
        select arg_min(r.channel, r.rule_no)
        from config_channel_rules r
        where list_contains(r.ga4_channel_group, lower(trim(p_group)))
    ), 'other');

-- A dimension filter as the queries bind it (queries/view.py View.params): the list of values chosen
-- in the sidebar, or NULL for all. True when nothing is chosen or `p_value` is one of the chosen
-- (a one-value list gives exactly what `value = chosen` gave). docs/decisions/0077-dimension-filters-are-selections-bound-as-lists.md.
create or replace macro in_selection(p_value, p_selection) as
    (p_selection is null or list_contains(p_selection, p_value));
