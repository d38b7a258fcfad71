-- Billing to CRM: how many Stripe customers match a CRM lead by e-mail (the keyed hash both loaders
-- store: compared case-insensitively, never in clear), so how much of the revenue the channel table sees.
-- Grain: one row; none without billing customers. No parameters.
--   customers   Stripe customers in the loaded exports;  matched  of them, those with a CRM lead
--   unmatched   customers - matched (no e-mail in Stripe, or an address the CRM does not hold)
--   match_rate  matched / customers
-- Reads: billing_customers.
select
    count(*) as customers,
    count(lead_id) as matched,
    count(*) - count(lead_id) as unmatched,
    count(lead_id) / count(*) as match_rate
from billing_customers
having count(*) > 0
