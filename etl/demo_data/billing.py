"""Stripe Dashboard exports of the demo (Subscriptions and Invoices, `subscriptions.csv` and
`invoices.csv` as downloaded: no date in the names, lower-case currencies and booleans, UTC times
`YYYY-MM-DD HH:MM`, a metadata column). Every won CRM deal becomes a paying Stripe customer at its
close, with the CRM lead's e-mail (every fifth written in other capitals: compared case-insensitively);
a base of customers from before the CRM data pays too, unmatched. The story: TikTok's customers, whose
leads look cheap, churn fast (about 30 % a month against 2 %, on monthly plans); some customers upgrade (cancel + new the
same day), some start with a trial or a first-months discount, some come back after churning, a
few lost deals leave an unconverted trial. Draws come from each customer's own seeded generator, so
the other demo exports stay byte-identical."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from etl.demo_data.crm import Snapshot
from etl.demo_data.exports import CsvOut
from etl.demo_data.world import Lead

SUBSCRIPTIONS = ("id", "Customer ID", "Customer Name", "Customer Email", "Plan", "Product", "Quantity", "Currency",
                 "Interval", "Amount", "Status", "Created (UTC)", "Start (UTC)", "Current Period Start (UTC)",
                 "Current Period End (UTC)", "Trial Start (UTC)", "Trial End (UTC)", "Canceled At (UTC)",
                 "Ended At (UTC)", "Cancel At Period End", "plan_code (metadata)")  # fmt: skip
INVOICES = ("id", "Customer", "Customer Name", "Customer Email", "Subscription", "Number", "Status", "Currency",
            "Amount Due", "Amount Paid", "Subtotal", "Total Discount Amount", "Tax", "Total", "Date (UTC)",
            "Period Start (UTC)", "Period End (UTC)", "Minimum Line Item Period Start (UTC)",
            "Maximum Line Item Period End (UTC)", "Paid At (UTC)", "Paid")  # fmt: skip
MONTHLY_CHURN = {"tiktok": 0.3, None: 0.012}  # by ad platform (None: organic); other platforms 0.02
LEGACY = 60  # customers from before the CRM data (no lead: unmatched)
LEGACY_FROM = datetime(2024, 9, 1, 15)


def _t(t: datetime | None) -> str:
    return "" if t is None else f"{t:%Y-%m-%d %H:%M}"


def _months(t: datetime, n: int) -> datetime:
    y, m = divmod(t.month - 1 + n, 12)
    return t.replace(year=t.year + y, month=m + 1, day=min(t.day, 28))


@dataclass
class Plan:
    monthly: bool
    seats: int
    unit: float  # per seat and interval, in the currency
    currency: str


class BillingWriter:
    """Collects the demo's customers while the CRM is simulated (`watching` wraps CrmWriter.add) and
    writes the two Stripe exports at `close`."""

    def __init__(self, out: Path, export_at: datetime) -> None:
        self.at = export_at
        self.subs = CsvOut(out / "stripe" / "subscriptions.csv", SUBSCRIPTIONS)
        self.invoices = CsvOut(out / "stripe" / "invoices.csv", INVOICES)
        self.n = 0

    def watching(self, add: Callable[..., None]) -> Callable[..., None]:
        """CrmWriter.add, then this lead's billing when its deal was won (or its trial when lost)."""
        def add_and_bill(lead: Lead, *args) -> None:
            add(lead, *args)
            if lead.created <= self.at:
                self.add(lead)
        return add_and_bill

    def add(self, lead: Lead) -> None:
        snap = Snapshot(lead, self.at)
        rng = random.Random(lead.n * 7919 + 17)
        platform = lead.campaign.platform if lead.campaign else None
        if snap.won and snap.closed:
            email = lead.email or ""
            if email and lead.n % 5 == 0:  # another spelling of the same address
                email = email[:1].upper() + email[1:].replace("@example.com", "@Example.com")
            eur = bool(lead.campaign and "EMEA" in lead.campaign.name)
            self._customer(rng, f"{lead.first} {lead.last}", email, snap.closed.replace(second=0, microsecond=0),
                           lead.amount or 12000.0, eur, MONTHLY_CHURN.get(platform, 0.02))
        elif snap.opp and snap.closed and rng.random() < 0.15:  # a lost deal's trial, never converted
            self._trial_only(rng, f"{lead.first} {lead.last}", lead.email or "", snap.opp.replace(second=0, microsecond=0))

    def _ids(self) -> tuple[str, str]:
        self.n += 1
        return f"cus_R{self.n:07d}", f"sub_1R{self.n:07d}"

    def _customer(self, rng: random.Random, name: str, email: str, start: datetime, amount: float, eur: bool,
                  churn: float) -> None:  # fmt: skip
        cus, sub = self._ids()
        seats = 1 + rng.randrange(8)
        monthly = amount < 30000 or churn > 0.1  # the fast-churning channel's small teams pay monthly
        rate = 1.08 if eur else 1.0
        unit = round((amount / 12 if monthly else amount) / seats / rate, 2)
        plan = Plan(monthly, seats, unit, "eur" if eur else "usd")
        trial = rng.random() < 0.3
        anchor = start + timedelta(days=14) if trial else start
        discount = rng.random() < 0.2
        k, j, came_back = 0, 0, False
        seg_start, created = start, start  # a trial's subscription starts with the trial
        while True:
            k += 1
            renewal = _months(anchor, k if plan.monthly else 12 * k)
            hazard = churn if plan.monthly else 1 - (1 - churn) ** 12
            upgrade = churn < 0.1 and k in (4, 7) and plan.monthly and rng.random() < 0.15
            ends = rng.random() < hazard
            if renewal > self.at and not ends:  # still paying at the export: one open subscription
                self._sub(rng, f"{sub}{j}", cus, name, email, plan, created, seg_start, anchor, k, trial and j == 0, None,
                          None, discount and j == 0)
                return
            if upgrade and renewal <= self.at:  # cancel + new the same day, more seats
                self._sub(rng, f"{sub}{j}", cus, name, email, plan, created, seg_start, anchor, k, trial and j == 0,
                          renewal, renewal, discount and j == 0)
                plan = Plan(plan.monthly, plan.seats + 2 + rng.randrange(4), plan.unit, plan.currency)
                j, seg_start, created, anchor, k = j + 1, renewal, renewal, renewal, 0
                continue
            if ends:
                canceled = renewal - timedelta(days=1 + rng.randrange(20), hours=rng.randrange(8))
                if canceled > self.at:  # decided after the export: still active then
                    self._sub(rng, f"{sub}{j}", cus, name, email, plan, created, seg_start, anchor, k,
                              trial and j == 0, None, None, discount and j == 0)
                    return
                ended = renewal if renewal <= self.at else None  # cancel at period end, not yet ended
                self._sub(rng, f"{sub}{j}", cus, name, email, plan, created, seg_start, anchor, k, trial and j == 0,
                          canceled, ended, discount and j == 0)
                back = renewal + timedelta(days=60 + rng.randrange(60))
                if came_back or ended is None or churn > 0.1 or rng.random() > 0.1 or back > self.at:
                    return
                came_back, j, seg_start, created, anchor, k = True, j + 1, back, back, back, 0  # reactivation
                trial, discount = False, False

    def _sub(self, rng: random.Random, sid: str, cus: str, name: str, email: str, plan: Plan, created: datetime,
             start: datetime, anchor: datetime, periods: int, trial: bool, canceled: datetime | None,
             ended: datetime | None, discount: bool) -> None:  # fmt: skip
        """One subscription row, and an invoice for each of its periods that began by the export."""
        step = 1 if plan.monthly else 12
        starts = [_months(anchor, i * step) for i in range(periods)]
        starts = [s for s in starts if s <= self.at and (ended is None or s < ended)]
        current = starts[-1] if starts else start  # still in its trial: the trial is the current period
        end = _months(current, step) if starts else anchor
        status = "canceled" if ended else "trialing" if trial and anchor > self.at else (
            "past_due" if rng.random() < 0.02 else "active")
        self.subs.row([sid, cus, name, email, f"price_{'m' if plan.monthly else 'y'}{plan.seats}", "Revline Growth",
                       plan.seats, plan.currency, "month" if plan.monthly else "year", f"{plan.unit:.2f}", status,
                       _t(created), _t(start), _t(current), _t(end), _t(start if trial else None),
                       _t(anchor if trial else None), _t(canceled), _t(ended),
                       "true" if canceled and not ended else "false", "growth"])  # fmt: skip
        subtotal = round(plan.unit * plan.seats, 2)
        for i, s in enumerate(starts):
            off = round(subtotal * 0.2, 2) if discount and i < 3 else 0.0
            total = f"{subtotal - off:.2f}"
            period_end = _months(s, step)
            self.invoices.row([f"in_1R{sid[6:]}{i:03d}", cus, name, email, sid, f"{cus[5:]}-{i + 1:04d}", "paid",
                               plan.currency, total, total, f"{subtotal:.2f}", f"{off:.2f}", "0.00", total, _t(s),
                               _t(s), _t(period_end), _t(s), _t(period_end), _t(s + timedelta(minutes=2)), "true"])  # fmt: skip

    def _trial_only(self, rng: random.Random, name: str, email: str, start: datetime) -> None:
        cus, sub = self._ids()
        end = start + timedelta(days=14)
        ended = end if end <= self.at else None
        plan = Plan(True, 1 + rng.randrange(3), 49.0, "usd")
        self.subs.row([f"{sub}0", cus, name, email, "price_m1", "Revline Growth", plan.seats, "usd", "month", "49.00",
                       "canceled" if ended else "trialing", _t(start), _t(start), _t(start), _t(end), _t(start), _t(end),
                       _t(ended), _t(ended), "false", "growth"])  # fmt: skip

    def close(self) -> list[tuple[Path, datetime]]:
        rng = random.Random(2024)
        for i in range(LEGACY):  # the base from before the CRM data: no lead, organic churn
            start = LEGACY_FROM + timedelta(days=rng.randrange(390), hours=rng.randrange(8))
            self._customer(random.Random(10_000 + i), f"Legacy {i}", f"billing{i}@legacy-customer.example",
                           start, rng.choice((6000.0, 12000.0, 24000.0, 36000.0)), False, MONTHLY_CHURN[None])
        return [(self.subs.close(), self.at), (self.invoices.close(), self.at)]
