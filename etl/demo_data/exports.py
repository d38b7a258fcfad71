"""Writers for each tool's export format: headers, encodings, preambles, totals and footers exactly
as the tools produce them (samples in tests/fixtures/exports/). CSV writers stream; XLSX writers buffer (scale <= 1 only)."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

HUBSPOT_CONTACTS = (
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name", "Contact owner",
    "Create Date", "Lifecycle Stage", "Lead Status", "Became a Lead Date",
    "Became a Marketing Qualified Lead Date", "Became a Sales Qualified Lead Date",
    "Became an Opportunity Date", "Became a Customer Date", "Owner Assigned Date", "First outreach date",
    "Original Traffic Source", "Original Traffic Source Drill-Down 1", "Original Traffic Source Drill-Down 2",
    "UTM Source", "UTM Medium", "UTM Campaign", "Disqualification Reason", "Associated Deal IDs", "HubSpot Score",
)  # fmt: skip
HUBSPOT_DEALS = (
    "Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Deal currency code", "Close Date",
    "Create Date", "Deal owner", "Is Closed Won", "Forecast category", "Associated Contact IDs",
    "Associated Company",
)  # fmt: skip
SF_LEADS = (
    "Lead ID", "Lead Owner", "First Name", "Last Name", "Title", "Company / Account", "Email",
    "Lead Source", "Lead Status", "Rating", "Created Date", "MQL Date", "SQL Date", "Converted",
    "Converted Date", "Converted Opportunity ID", "UTM Source", "UTM Medium", "UTM Campaign",
    "Disqualified Reason",
)  # fmt: skip
SF_OPPS = (
    "Opportunity ID", "Opportunity Owner", "Account Name", "Opportunity Name", "Stage", "Forecast Category",
    "Amount Currency", "Amount", "Probability (%)", "Close Date", "Created Date", "Lead Source", "Type",
    "Closed", "Won",
)  # fmt: skip
SF_ACTIVITIES = (
    "Activity ID", "Assigned", "Subject", "Activity Type", "Task Subtype", "Date", "Created Date",
    "Lead ID", "Opportunity ID", "Company / Account",
)  # fmt: skip
META = (
    "Campaign name", "Day", "Campaign ID", "Account ID", "Account name", "Reporting starts",
    "Reporting ends", "Campaign delivery", "Results", "Result indicator", "Impressions", "Reach",
    "Link clicks", "Clicks (all)", "Amount spent (USD)", "Purchases conversion value", "Attribution setting",
)  # fmt: skip
GOOGLE = (
    "Campaign status", "Campaign", "Campaign ID", "Day", "Currency code", "Cost", "Impr.", "Clicks", "CTR",
    "Avg. CPC", "Conversions", "Conv. value", "Cost / conv.",
)  # fmt: skip
TIKTOK = (
    "By Day", "Campaign name", "Campaign ID", "Primary status", "Cost", "Impressions", "Reach",
    "Clicks (destination)", "CTR (destination)", "CPC (destination)", "CPM", "Conversions",
    "Cost per conversion", "Total complete payment value",
)  # fmt: skip
LINKEDIN = (
    "Start Date (in UTC)", "Account Name", "Campaign Group Name", "Campaign Name", "Campaign ID",
    "Campaign Type", "Currency", "Total Spent", "Impressions", "Clicks", "Average CTR", "Leads",
    "Conversions", "Total Conversion Value",
)  # fmt: skip


def hs_time(t: datetime | None) -> str:
    return f"{t.year}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}" if t else ""  # %Y-%m-%d %H:%M


def sf_time(t: datetime | None) -> str:
    if not t:
        return ""
    return f"{t.month}/{t.day}/{t.year} {(t.hour % 12) or 12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def sf_date_time(t: datetime) -> tuple[str, str]:
    """(sf_date(t), sf_time(t)) in one call."""
    day, h = f"{t.month}/{t.day}/{t.year}", t.hour
    return day, f"{day} {(h % 12) or 12}:{t.minute:02d} {'AM' if h < 12 else 'PM'}"


def sf_date(d: date | datetime | None) -> str:
    return f"{d.month}/{d.day}/{d.year}" if d else ""


def mdy(d: date) -> str:
    return f"{d.month}/{d.day}/{d.year}"


def thousands(v: float, decimals: int = 2) -> str:
    return f"{v:,.{decimals}f}"


class _Lines:
    """What the csv writer writes to: rows collect in a list, written to the file in large chunks
    (one encode and one write call per chunk instead of per row)."""

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.write = self.buf.append


class CsvOut:
    """A streaming CSV export: encoding, BOM, delimiter, quoting and line ends per tool."""

    CHUNK = 2000  # rows per file write

    def __init__(self, path: Path, header: tuple[str, ...], *, encoding: str = "utf-8", bom: bool = False,
                 delimiter: str = ",", quote_all: bool = False, crlf: bool = False,
                 preamble: list[str] | None = None) -> None:  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.fh = open(path, "w", encoding=encoding, newline="", errors="strict", buffering=1 << 20)  # noqa: SIM115
        if bom:
            self.fh.write("\ufeff")
        end = "\r\n" if crlf else "\n"
        for line in preamble or []:
            self.fh.write(line + end)
        quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
        self.sink = _Lines()
        self.w = csv.writer(self.sink, delimiter=delimiter, quoting=quoting, lineterminator=end)
        self.writerow = self.w.writerow
        self.w.writerow(header)
        self.rows = 0

    def row(self, cells) -> None:
        self.writerow(cells)
        self.rows += 1
        if len(self.sink.buf) >= self.CHUNK:
            self.flush()

    def add_rows(self, rows: list) -> None:
        """Several rows at once."""
        self.w.writerows(rows)
        self.rows += len(rows)
        if len(self.sink.buf) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        self.fh.write("".join(self.sink.buf))
        self.sink.buf.clear()

    def lines(self, lines: list[str]) -> None:
        """Footer lines written as single quoted cells (Salesforce) or raw text."""
        for line in lines:
            self.w.writerow([line] if line else [])

    def close(self) -> Path:
        self.flush()
        self.fh.close()
        return self.path


class XlsxOut:
    """A one-sheet workbook written at close; title rows above the header for formatted reports."""

    def __init__(self, path: Path, header: tuple[str, ...], title_rows: list[str] | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.header, self.title_rows = path, header, title_rows or []
        self.data: list[list] = []
        self.footer: list[str] = []

    def row(self, cells) -> None:
        self.data.append(list(cells))

    def add_rows(self, rows: list) -> None:
        self.data.extend(list(cells) for cells in rows)

    def close(self) -> Path:
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(self.path), {"strings_to_numbers": False})
        wb.set_properties({"created": datetime(2026, 1, 1)})  # deterministic bytes
        ws = wb.add_worksheet("Sheet1")
        dt_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        d_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        r = 0
        for t in self.title_rows:
            if t:
                ws.write_string(r, 0, t)
            r += 1
        ws.write_row(r, 0, self.header)
        for cells in self.data:
            r += 1
            for c, v in enumerate(cells):
                if isinstance(v, datetime):
                    ws.write_datetime(r, c, v, dt_fmt)
                elif isinstance(v, date):
                    ws.write_datetime(r, c, datetime(v.year, v.month, v.day), d_fmt)
                elif isinstance(v, int | float) and not isinstance(v, bool):
                    ws.write_number(r, c, v)
                elif v not in (None, ""):
                    ws.write_string(r, c, str(v))
        for line in self.footer:
            r += 1
            ws.write_string(r, 0, line)
        wb.close()
        return self.path


def sf_footer(title: str, generated: datetime) -> list[str]:
    return ["", title, "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.",
            "Confidential Information - Do Not Distribute",
            f"Generated By:  Revline Demo  {sf_time(generated)}", "Revline Demo Inc."]  # fmt: skip

