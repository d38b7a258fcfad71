"""Uploads from the Data page: type and size checked, names sanitised, files written only inside
the data folder, loaded by the real ETL into the live warehouse."""

from __future__ import annotations

from dataclasses import dataclass

from ui.upload import load_uploads, safe_name

META = (
    "\ufeffCampaign name,Day,Campaign ID,Account ID,Reporting starts,Reporting ends,Impressions,"
    "Link clicks,Amount spent (USD),Results,Result indicator,Purchases conversion value\n"
    "Spring Sale,2026-03-01,120000000000000001,1000001,2026-03-01,2026-03-01,1000,20,12.50,2,actions:lead,\n"
)


@dataclass
class Uploaded:  # the shape of Streamlit's UploadedFile that load_uploads uses
    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def getvalue(self) -> bytes:
        return self.data


def test_upload_loads_into_the_warehouse(tmp_path, monkeypatch):
    db = tmp_path / "data" / "warehouse.duckdb"
    monkeypatch.setenv("REVLINE_DB", str(db))
    results = load_uploads([Uploaded("../../etc/meta export.csv", META.encode("utf-8")),
                            Uploaded("notes.exe", b"MZ"), Uploaded("huge.csv", b"")])  # fmt: skip
    by_name = {r.path.name: r for r in results}
    assert by_name["notes.exe"].status == "failed" and "not a CSV or XLSX" in by_name["notes.exe"].message
    loaded = by_name["meta export.csv"]
    assert loaded.ok and loaded.counts.rows_loaded == 1
    # written inside the data folder, never where the name pointed
    assert loaded.path.is_relative_to(db.parent / "uploads")
    assert by_name["huge.csv"].status == "failed"  # an empty file is refused by the loader with a reason


def test_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("REVLINE_DB", str(tmp_path / "w.duckdb"))
    monkeypatch.setattr("ui.upload.MAX_MB", 0)
    (r,) = load_uploads([Uploaded("meta.csv", META.encode())])
    assert r.status == "failed" and "larger than 0 MB" in r.message


def test_safe_names():
    assert safe_name("../../x;rm -rf.csv") == "x_rm -rf.csv"
    assert safe_name("") == "upload"


def test_an_upload_is_deleted_once_loaded_and_staged_privately(tmp_path, monkeypatch):
    """An export holds names and e-mails in clear: once loaded (the warehouse keeps e-mails only as
    a keyed hash) no copy stays on disk; its name and SHA-256 stay in load_log."""
    import hashlib
    import os
    import time

    import duckdb

    db = tmp_path / "data" / "warehouse.duckdb"
    monkeypatch.setenv("REVLINE_DB", str(db))
    uploads = db.parent / "uploads"
    uploads.mkdir(parents=True, mode=0o755)  # as an earlier Revline made it
    old = uploads / "20250101-000000"  # an upload an earlier Revline kept forever
    old.mkdir()
    (old / "contacts.csv").write_text("Email\njane@example.com\n")
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    (loaded,) = load_uploads([Uploaded("meta export.csv", META.encode())])
    assert loaded.ok
    assert list(uploads.iterdir()) == []  # nothing left: neither this upload nor the old one
    assert oct(uploads.stat().st_mode)[-3:] == "700"
    con = duckdb.connect(":memory:")
    con.execute("attach ? as w (read_only)", [str(db)]).fetchall()
    assert con.execute("select file_name, file_sha256 from w.load_log").fetchall() == [
        ("meta export.csv", hashlib.sha256(META.encode()).hexdigest())
    ]
    con.close()
    (again,) = load_uploads([Uploaded("meta export.csv", META.encode())])  # recognised by its hash
    assert again.status == "duplicate_file" and list(uploads.iterdir()) == []


def test_a_failed_load_deletes_the_upload_too(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    monkeypatch.setenv("REVLINE_DB", str(db))
    (r,) = load_uploads([Uploaded("contacts.csv", b"Email,Name\njane@example.com,Jane\n")])
    assert not r.ok and list((tmp_path / "uploads").iterdir()) == []
    assert "jane@example.com" not in r.message  # the message names the file, not its people
