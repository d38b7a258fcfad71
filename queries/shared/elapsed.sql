-- How much of the range has passed at $as_of: the base of every pace (actual / (target x share)).
-- Grain: one row. Parameters: $start_date, $end_date (inclusive DATE range), $as_of (TIMESTAMP).
--   days           days in the range
--   elapsed_days   days from the start through $as_of's day (0 before the range, all days after it);
--                  the as-of day counts whole, as the view is judged at the end of the data's last day
--   elapsed_share  elapsed_days / days: the share of a target due by now
-- Reads: nothing.
select
    ($end_date::date - $start_date::date + 1) as days,
    greatest(least($as_of::timestamp::date, $end_date::date) - $start_date::date + 1, 0) as elapsed_days,
    greatest(least($as_of::timestamp::date, $end_date::date) - $start_date::date + 1, 0)
        / ($end_date::date - $start_date::date + 1) as elapsed_share
