"""Write the bad-input corpus: files people really produce, each with what Revline must say about it.

    python tests/bad_inputs/make_corpus.py      # rewrites tests/bad_inputs/files/ (deterministic)

`CASES` is the single source for the files and the expectations tests/test_bad_corpus.py asserts.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).parent / "files"

META_H = ("Campaign name,Day,Campaign ID,Account ID,Reporting starts,Reporting ends,Impressions,Link clicks,"
          "Amount spent (USD),Results,Result indicator,Purchases conversion value")  # fmt: skip
GOOGLE_PRE = "Campaign report\r\nMarch 1, 2026 - March 31, 2026\r\n"
GOOGLE_H = "Campaign status,Campaign,Campaign ID,Day,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value"
SF_H = ('"Lead ID","Lead Owner","First Name","Last Name","Company / Account","Email","Lead Source",'
        '"Lead Status","Created Date","MQL Date"')  # fmt: skip
HS_H = '"Record ID","First Name","Last Name","Email","Contact owner","Create Date","Lifecycle Stage"'


def meta_row(day: str = "2026-03-01", spend: str = "12.50", name: str = "Spring Sale", clicks: str = "20",
             impressions: str = "1000", cid: str = "120000000000000001") -> str:  # fmt: skip
    return f"{name},{day},{cid},1000001,{day},{day},{impressions},{clicks},{spend},2,actions:lead,"


def meta(*rows: str) -> str:
    return "\ufeff" + META_H + "\n" + "\n".join(rows) + "\n"


def google(*rows: str) -> str:
    return GOOGLE_PRE + GOOGLE_H + "\r\n" + "\r\n".join(rows) + "\r\n"


def g_row(cost: str = "10.00", day: str = "2026-03-01", cid: str = "12345678901") -> str:
    return f'Enabled,Brand Search,{cid},{day},USD,"{cost}","1,000",50,2.00,"100.00"'


def sf(*rows: str, footer: bool = True) -> str:
    foot = ('\n"Leads report"\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
            '"Confidential Information - Do Not Distribute"\n') if footer else ""  # fmt: skip
    return SF_H + "\n" + "\n".join(rows) + "\n" + foot


def sf_row(n: int, created: str = "3/4/2026 9:14 AM", mql: str = "3/4/2026 10:00 AM") -> str:
    return (f'"00Q5g00000AbCd{n:03d}A","Dana Whitfield","Ann","Example","Acme","a{n}@example.com","Web",'
            f'"Open","{created}","{mql}"')  # fmt: skip


def xlsx(rows: list[list[str]]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": __import__("datetime").datetime(2026, 1, 1)})
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    wb.close()
    return buf.getvalue()


def zip_bomb() -> bytes:
    """A workbook-shaped zip whose sheet unpacks to 300 MB of spaces (a few hundred KB packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b" " * (1 << 20)
            for _ in range(300):
                f.write(chunk)
    return buf.getvalue()


@dataclass(frozen=True)
class Case:
    name: str
    content: str | bytes | None  # None: written by a function below
    status: str  # failed | loaded | loaded_with_rejects
    says: str = ""  # substring of the file's message (failed) or of a reject reason
    rejected: int = 0
    loaded: int | None = None
    encoding: str = "utf-8"
    extra: dict = field(default_factory=dict)


CASES = [
    Case("empty.csv", b"", "failed", "is empty (0 bytes)"),
    Case("header-only.csv", meta(), "loaded", "no records after the header", loaded=0),
    Case("binary-renamed.csv", bytes(range(256)) * 8, "failed", "is a binary file"),
    Case("xlsx-renamed.csv", xlsx([META_H.split(","), meta_row().split(",")]), "loaded", loaded=1),
    Case("legacy.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "failed", "legacy Excel 97-2003"),
    Case("windows-1252.csv", HS_H + '\n"1","Zoë","Müller","z@example.com","Dana","2026-03-04 09:14","Lead"\n',
         "loaded", loaded=1, encoding="cp1252"),
    Case("utf16-no-bom.csv", (GOOGLE_H.replace(",", "\t") + "\r\nEnabled\tBrand Search\t12345678901\t2026-03-01"
                             "\tUSD\t10.00\t1,000\t50\t2.00\t100.00\r\n").encode("utf-16-le"), "loaded", loaded=1),
    Case("truncated-last-line.csv", sf(sf_row(1), sf_row(2), footer=False)[:-30], "failed",
         "ends inside a quoted field"),  # a truncated download is refused whole: download it again
    Case("cut-between-fields.csv", sf(sf_row(1), sf_row(2), footer=False)[:-21], "loaded_with_rejects",
         "fewer fields than the header", rejected=1, loaded=1),
    Case("mixed-delimiters.csv", meta(meta_row(), meta_row("2026-03-02").replace(",", ";")), "loaded_with_rejects",
         "missing required value", rejected=1, loaded=1),
    Case("duplicate-header.csv", "\ufeff" + META_H + ",Amount spent (USD)\n" + meta_row() + ",99.00\n", "loaded",
         "appears twice in the header", loaded=1),
    Case("missing-required-column.csv", google(g_row()).replace("Cost,", "Costs,"), "failed",
         "lacks the column 'Cost'"),
    Case("extra-unknown-columns.csv", "\ufeff" + META_H + ",My Custom Metric,Notes\n" + meta_row() + ",7,hello\n",
         "loaded", loaded=1),
    Case("totals-row.csv", google(g_row(), 'Total: Campaigns,,,,,"10.00","1,000",50,2.00,"100.00"'), "loaded",
         loaded=1, extra={"skipped": 1}),
    Case("footer-notes.csv", sf(sf_row(1)), "loaded", loaded=1, extra={"skipped": 4}),
    Case("currency-symbols.csv", '"Opportunity ID","Opportunity Owner","Stage","Amount","Created Date"\n'
         '"0065g00000AbCd001A","Dana","Closed Won","$12,400.00","3/4/2026 9:14 AM"\n'
         '"0065g00000AbCd002A","Dana","Prospecting","USD 1,000.50","3/4/2026 9:14 AM"\n', "loaded", loaded=2),
    Case("thousands-separators.csv", google(g_row("1,234,567.89")), "loaded", loaded=1),
    Case("decimal-commas.csv", "Jour;Nom de la campagne;Identifiant de la campagne;Impressions;Montant dépensé (EUR)\n"
         '15/03/2026;Printemps;120000000000000009;"12 345";"1 234,56"\n', "loaded", loaded=1, encoding="cp1252"),
    Case("negative-spend.csv", meta(meta_row(), meta_row("2026-03-02", spend="-5.00")), "loaded_with_rejects",
         "negative spend", rejected=1, loaded=1),
    Case("ctr-over-100.csv", meta(meta_row(clicks="5000", impressions="1000")), "loaded_with_rejects",
         "more clicks than impressions", rejected=1, loaded=0),
    Case("future-date.csv", meta(meta_row("2031-01-01")), "loaded_with_rejects", "a date in the future",
         rejected=1, loaded=0),
    Case("unparseable-date.csv", meta(meta_row("2026-13-45")), "loaded_with_rejects", "cannot read \"Day\"",
         rejected=1, loaded=0),
    Case("unparseable-datetime.csv", sf(sf_row(1), sf_row(2, mql="next Tuesday")), "loaded_with_rejects",
         "cannot read \"MQL Date\" value 'next Tuesday'", rejected=1, loaded=1),
    Case("zero-byte.xlsx", b"", "failed", "is empty (0 bytes)"),
    Case("zip-bomb.xlsx", None, "failed", "refused as a possible zip bomb"),
    Case("corrupt.xlsx", b"PK\x03\x04" + b"\x00" * 200, "failed", "is not a readable XLSX workbook"),
    Case("very-long-field.csv", meta(meta_row(name="Spring " + "x" * 200_000)), "loaded", loaded=1),
    Case("injection-campaign-name.csv", meta(meta_row(name="'; drop table ad_spend; --"),
         meta_row("2026-03-02", name='"=HYPERLINK(""http://x"",""y"")"')), "loaded", loaded=2),
    Case("unknown-export.csv", "order_id,customer,total\n1,Acme,10\n", "failed", "not an export Revline recognises"),
    Case("html-saved-as-csv.csv", "<!DOCTYPE html><html><body>Session expired</body></html>\n", "failed",
         "not an export Revline recognises"),
    Case("json-named-csv.csv", '{"data": [{"campaign": "x", "spend": 1}]}\n', "failed", "not an export Revline recognises"),
    Case("meta-without-day-breakdown.csv", "\ufeffCampaign name,Campaign ID,Reporting starts,Reporting ends,"
         "Amount spent (USD)\nSpring Sale,1200000000001,2026-03-01,2026-03-31,1234.00\n", "failed",
         "without a breakdown by day"),
    Case("unknown-currency.csv", "\ufeff" + META_H.replace("(USD)", "(JPY)") + "\n" + meta_row() + "\n",
         "loaded_with_rejects", "no exchange rate for currency 'JPY'", rejected=1, loaded=0),
    Case("more-fields-than-header.csv", meta(meta_row() + ",surprise,cells"), "loaded_with_rejects",
         "more fields than the header", rejected=1, loaded=0),
    Case("missing-required-value.csv", google(g_row(), g_row(day="")), "loaded_with_rejects",
         'missing required value in "Day"', rejected=1, loaded=1),
    Case("preamble-only.csv", "Campaign Performance Report (in UTC)\nReport Start: 3/1/2026\n\n", "failed",
         "not an export Revline recognises"),
    Case("blank-lines-between-rows.csv", meta(meta_row(), "", "", meta_row("2026-03-02")), "loaded", loaded=2,
         extra={"skipped": 2}),
    # numbers are read by the whole column's convention, never by the delimiter or DuckDB's cast
    Case("semicolon-decimal-points.csv", meta(meta_row(spend="12.50")).replace(",", ";"), "loaded", loaded=1),
    Case("nan-and-exponents.csv", meta(meta_row(spend="NaN"), meta_row("2026-03-02", spend="1e5"),
         meta_row("2026-03-03", spend="0x1A"), meta_row("2026-03-04", spend="-inf"), meta_row("2026-03-05")),
         "loaded_with_rejects", "cannot read \"Amount spent (USD)\" value 'NaN' as money", rejected=4, loaded=1),
    Case("amount-beyond-decimal.csv", meta(meta_row(spend="100000000000000000"), meta_row("2026-03-02")),
         "loaded_with_rejects", "out of range for money (DECIMAL(18,2))", rejected=1, loaded=1),
    Case("decimal-comma-against-column.csv", meta(meta_row(), meta_row("2026-03-02", spend="3.25"),
         meta_row("2026-03-03", spend='"0,5"')), "loaded_with_rejects",
         "value '0,5' contradicts the column's decimal point", rejected=1, loaded=2),
    Case("ambiguous-amount.csv", meta(meta_row(spend='"1,234"')), "loaded_with_rejects", "is ambiguous",
         rejected=1, loaded=0),
    Case("closed-before-created.csv", '"Opportunity ID","Opportunity Owner","Stage","Amount","Close Date","Created Date"\n'
         '"0065g00000AbCd001A","Dana","Closed Won","$12,400.00","3/1/2026","3/4/2026 9:14 AM"\n'
         '"0065g00000AbCd002A","Dana","Prospecting","$1,000.00","3/20/2026","3/4/1999 9:14 AM"\n',
         "loaded_with_rejects", "closed before it was created", rejected=2, loaded=0),
]


def write() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        path = HERE / case.name
        if case.content is None:
            path.write_bytes(zip_bomb())
        elif isinstance(case.content, bytes):
            path.write_bytes(case.content)
        else:
            path.write_bytes(case.content.encode(case.encoding))


if __name__ == "__main__":
    write()
    print(f"wrote {len(CASES)} files to {HERE}")
