"""No e-mail address or phone number reaches the warehouse file, wherever it sat in an export.

Exports full of personal data in the wrong places (a shifted row, free-text notes, an e-mail in
the company column, an unknown extra column of e-mails, a stray quote, a date cell holding a
phone) are loaded; then the closed warehouse file is searched three ways: every text cell in SQL,
its raw bytes, and `strings` (binutils) when the machine has it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import xlsxwriter

from etl.loader import load
from etl.redact import EMAIL, PHONE, found, redact_text

EMAILS = [
    "avery.testwell@example.com", "blake.samplesson@example.org", "casey.notes@example.net",
    "drew.shifted@example.com", "work.only@example.io", "stray.quote@example.com",
    "subject.line@example.com", "deal.owner@example.com", "xlsx.company@example.com",
    "oliver.lead@example.co.uk", "in.date@example.com",
]  # fmt: skip
PHONES = [
    "+1 555-0101", "(555) 010-2000", "+44 20 7946 0958", "555-123-4567", "555.987.6543",
    "020 7946 0111", "06 12 34 56 78", "+46 555 0100 22", "0171-1234567", "555 222 3333",
]  # fmt: skip
MARKER = "Zyxwvut Marker Holdings"  # not personal data: proves the byte scans see stored text

CONTACTS_HEADER = (
    '"Record ID","First Name","Last Name","Email","Phone Number","Contact owner","Associated Company",'
    '"Create Date","Lifecycle Stage","Lead Status","Original Source","Work email","Notes"\n'
)
CONTACTS = CONTACTS_HEADER + (
    # every field where it belongs, plus an unknown column of e-mails and free-text notes
    '"51234567801","Avery","Testwell","avery.testwell@example.com","+1 555-0101","Dana Whitfield",'
    f'"{MARKER}","2026-03-02 10:15","Lead","New","Paid social","work.only@example.io",'
    '"Call (555) 010-2000 or mail casey.notes@example.net"\n'
    # e-mail in the company column, phone in the owner column: a valid row, loaded
    '"51234567802","Blake","Samplesson","blake.samplesson@example.org","","555-123-4567",'
    '"blake.samplesson@example.org","2026-03-02 16:40","Lead","New","Direct traffic","",""\n'
    # a shifted row: a comma in the first name pushed every field one to the right
    "51234567803,Drew,Jr.,Shifted,drew.shifted@example.com,+44 20 7946 0958,Tom Becker,Globex,"
    "2026-03-03 09:00,Lead,New,Direct traffic,,\n"
    # a phone and an e-mail where a date belongs: rejected, the reason quotes the cell
    '"51234567804","Casey","Notes","","","","Initech","in.date@example.com 555.987.6543","Lead","New","",'
    '"","020 7946 0111"\n'
    # a stray quote: the row is rejected whole
    '51234567805,Eve,Quote,stray.quote@example.com,06 12 34 56 78,Tom Becker,12" Displays,'
    "2026-03-04 11:00,Lead,New,,,\n"
)
SF_LEADS = (
    '"Lead ID","Lead Owner","First Name","Last Name","Title","Company / Account","Email","Phone",'
    '"Street","Lead Source","Lead Status","Created Date","Disqualified Reason"\n'
    '"00Q5g00000GbUkEEA4","Oliver Example","George","Placeworth","COO","Example Mills Ltd",'
    '"oliver.lead@example.co.uk","+46 555 0100 22","1 Example Way","Web","Unqualified",'
    '"04/03/2026 09:14","asked to be called on 0171-1234567 only"\n'
)
SF_ACTIVITIES = (
    '"Activity ID","Assigned","Subject","Activity Type","Date","Created Date","Lead ID","Company / Account"\n'
    '"00T5g00000AbCd1","Oliver Example","Call back subject.line@example.com at 555 222 3333","Call",'
    '"3/5/2026","3/5/2026 9:30 AM","00Q5g00000GbUkEEA4","Example Mills Ltd"\n'
)
DEALS_XLSX = [
    ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner", "Associated Company", "Create Date", "Lifecycle Stage"],
    ["61234567801", "Finley", "Placeholt", "", "", "deal.owner@example.com", "xlsx.company@example.com", "2026-03-01 12:30", "Lead"],
]  # fmt: skip


def write_exports(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "hubspot-contacts.csv").write_text(CONTACTS)
    (folder / "salesforce-leads.csv").write_text(SF_LEADS)
    (folder / "salesforce-activities.csv").write_text(SF_ACTIVITIES)
    wb = xlsxwriter.Workbook(str(folder / "hubspot-contacts.xlsx"))
    ws = wb.add_worksheet("Contacts")
    for r, row in enumerate(DEALS_XLSX):
        ws.write_row(r, 0, row)
    wb.close()
    return folder


def test_fixtures_are_full_of_personal_data():
    text = CONTACTS + SF_LEADS + SF_ACTIVITIES + " ".join(" ".join(r) for r in DEALS_XLSX)
    assert all(e in text for e in EMAILS) and all(p in text for p in PHONES)
    assert set(EMAILS + PHONES) <= set(found(text))  # the patterns see every one of them
    assert found(redact_text(text)) == []


def test_no_email_or_phone_in_the_warehouse_file(tmp_path):
    db = tmp_path / "w.duckdb"
    results = load([write_exports(tmp_path / "exports")], db)
    by_name = {r.name: r for r in results}
    assert all(r.ok for r in results), [r.message for r in results]
    contacts = by_name["exports/hubspot-contacts.csv"].counts
    assert (contacts.rows_read, contacts.rows_loaded, contacts.rows_rejected) == (5, 2, 3)
    assert not Path(str(db) + ".wal").exists()  # checkpointed and closed: everything is in the file

    with duckdb.connect(str(db), read_only=True) as con:
        rejected = con.execute(
            "select line_number, raw_line, reason from rejected_rows order by 1"
        ).fetchall()
        cells = []
        for table, column in con.execute(
            "select table_name, column_name from duckdb_columns() where data_type = 'VARCHAR' and not internal"
        ).fetchall():
            cells += [
                v
                for (v,) in con.execute(
                    f'select "{column}" from "{table}" where "{column}" is not null'
                ).fetchall()
            ]
        company = con.execute("select company from stg_hubspot__contacts order by contact_id").fetchall()
    # 1. SQL: no text cell of any table (raw_, stg_, contract tables, load_log, rejected_rows)
    assert [c for c in cells if found(c) or any(p in c for p in EMAILS + PHONES)] == []
    assert company == [(MARKER,), ("[email]",), ("[email]",)]  # wrong-column e-mails: redacted, not dropped
    assert [line for line, *_ in rejected] == [4, 5, 6]
    assert "[phone]" in rejected[0][1] and "Tom Becker" in rejected[0][1]  # the shifted row, by pattern
    assert "'[email] [phone]'" in rejected[1][2]  # the reason quotes the redacted cell

    # 2. the file's bytes (UTF-8 text as DuckDB stores it)
    data = db.read_bytes()
    assert MARKER.encode() in data  # the scan does see stored strings
    assert [s for s in EMAILS + PHONES if s.encode() in data] == []
    text = data.decode("latin-1")
    assert re.findall(EMAIL, text) == [] and re.findall(PHONE, text) == []

    # 3. strings(1), as an auditor would run it
    if shutil.which("strings"):
        out = subprocess.run(
            ["strings", "-n", "6", str(db)], capture_output=True, text=True, check=True
        ).stdout
        assert MARKER in out
        assert found(out) == []
