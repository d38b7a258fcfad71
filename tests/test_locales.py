"""Localised exports: a vendor UI in German, French, Spanish, Dutch, Portuguese or Italian writes
its own header labels; the contracts list them ([locales.<language>] in etl/contracts/*.toml) and
each language loads end to end through the real loader into a real DuckDB file. Fixtures are ours,
in the shapes of real localised exports (tests/fixtures/exports/*/locale-*)."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from etl.contracts import LANGUAGES, _load, all_contracts, norm_header
from etl.loader import load
from etl.read import read_export

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
CONTRACTS = Path(__file__).parent.parent / "etl" / "contracts"
# targets.csv is our own format; Stripe writes English headers in every Dashboard language (`english_only`)
VENDOR_CONTRACTS = [c for c in all_contracts() if c.source != "revline" and not c.english_only]


def load_one(tmp_path: Path, fixture: str) -> tuple[duckdb.DuckDBPyConnection, tuple]:
    """Load one fixture into a fresh warehouse; the connection and its load_log row."""
    db = tmp_path / "w.duckdb"
    (result,) = load([EXPORTS / fixture], db)
    con = duckdb.connect(str(db), read_only=True)
    log = con.execute(
        "select adapter, status, rows_read, rows_loaded, rows_rejected, rows_skipped from load_log"
    ).fetchone()
    assert result.status == "loaded", result.message
    return con, log


@pytest.mark.parametrize("contract", VENDOR_CONTRACTS, ids=[c.name for c in VENDOR_CONTRACTS])
def test_every_required_column_has_a_label_in_every_language(contract):
    missing = [
        (col.name, lang)
        for col in contract.required
        for lang in LANGUAGES
        if lang != "en" and not any(label_lang == lang for label_lang, _ in col.labels)
    ]
    assert missing == [], f"{contract.name}: no [locales] label for {missing}"


# Column pairs that share a label on purpose: Meta's "Reporting starts" stands in for a missing Day
# (the stage checks it); LinkedIn's old "Campaign Name" is the new naming's campaign group, and the
# first label found wins (etl/contracts/linkedin_ads.toml).
SHARED = [{"date", "reporting_starts"}, {"campaign_name", "campaign_group"}, {"campaign_id", "campaign_group_id"}]
# Columns the ad-level contracts gain on the ad-grain branch; their [locales] labels wait for them.
COMING = {"ad_id", "ad_name", "ad_set_id", "ad_set_name", "ad_group_id", "ad_group_name", "campaign_group_id",
          "age", "gender", "country", "region", "placement", "publisher_platform", "device"}  # fmt: skip


@pytest.mark.parametrize("contract", all_contracts(), ids=[c.name for c in all_contracts()])
def test_no_label_reads_two_columns_of_one_export(contract):
    """A label shared by two columns would make one of them read the other's cells."""
    owners: dict[str, set[str]] = {}
    for col in contract.columns:
        for h in col.headers:
            owners.setdefault(norm_header(h), set()).add(col.name)
    shared = {h: cols for h, cols in owners.items() if len(cols) > 1 and cols not in SHARED}
    assert shared == {}


@pytest.mark.parametrize("path", sorted(CONTRACTS.glob("*.toml")), ids=lambda p: p.stem)
def test_every_locale_key_names_a_column(path):
    """The loader skips a [locales] key naming no column (a column still to come); a typo must not
    pass as one."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    names = {c["name"] for c in data["columns"]} | COMING | {"pii"}
    unknown = {(lang, key) for lang, table in data.get("locales", {}).items() for key in table if key not in names}
    assert unknown == set()


def test_a_locale_of_an_unknown_language_is_refused(tmp_path):
    typo = tmp_path / "typo.toml"
    base = (CONTRACTS / "google_ads.toml").read_text(encoding="utf-8")
    typo.write_text(base + '\n[locales.sv]\ncampaign_name = "Kampanj"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"\[locales.sv\] is not one of"):
        _load(typo)


def test_localised_labels_come_after_the_english_ones():
    """English stays first, so an English export maps exactly as it did before [locales]."""
    google = next(c for c in all_contracts() if c.name == "google_ads")
    spend = next(col for col in google.columns if col.name == "spend")
    assert spend.headers[0] == "Cost" and {"Kosten", "Coût", "Coste", "Custo", "Costo"} <= set(spend.headers)


def test_dutch_meta_semicolons_day_first_dates_and_decimal_commas(tmp_path):
    con, log = load_one(tmp_path, "meta/locale-nl-campagnes-per-dag.csv")
    assert log == ("meta_ads", "loaded", 2, 2, 0, 0)
    rows = con.execute(
        "select date, campaign_id, impressions, clicks, spend, currency from stg_meta__campaign_days order by date"
    ).fetchall()
    # "23-9-2026" is 23 September (day first, no zero padding); "12.345" impressions are 12345;
    # "1.234,56" EUR is 1234.56; the currency comes from the header "Besteed bedrag (EUR)"
    assert rows == [
        (date(2026, 9, 23), "120000000000000101", 12345, 210, Decimal("1234.56"), "EUR"),
        (date(2026, 9, 24), "120000000000000101", 980, 15, Decimal("45.10"), "EUR"),
    ]


def test_dutch_linkedin_is_read_from_its_dutch_header(tmp_path):
    """The shape of a real Dutch Campaign Manager export: a Dutch preamble, a blank line, a
    tab-separated header on line 6, dates 23-9-2026."""
    raw = read_export(EXPORTS / "linkedin/locale-nl-campagneprestaties.csv")
    m = raw.sniffed.match
    raw.batches.close()
    assert (m.contract.name, m.language, raw.sniffed.header_index, raw.sniffed.delimiter) == (
        "linkedin_ads", "nl", 5, "\t",
    )  # fmt: skip
    assert {k: m.headers[k] for k in ("date", "campaign_id", "spend", "impressions")} == {
        "date": "Begindatum (in UTC)", "campaign_id": "Campagne-ID", "spend": "Totaal besteed",
        "impressions": "Weergaven",
    }  # fmt: skip
    con, log = load_one(tmp_path, "linkedin/locale-nl-campagneprestaties.csv")
    assert log == ("linkedin_ads", "loaded", 2, 2, 0, 0)
    # dates day first; spend "9,36" in a tab-separated file is the numbers-dates helper's part
    # (decimal commas are only assumed for ';' files), so it is not asserted here
    assert con.execute(
        "select date, campaign_id, campaign_name, impressions, clicks from stg_linkedin__campaign_days order by date"
    ).fetchall() == [
        (date(2026, 9, 23), "1224430799", "Najaar", 293, 1),
        (date(2026, 9, 24), "1224430799", "Najaar", 47, 0),
    ]


def test_french_google_ads_report_with_narrow_spaces_and_a_french_totals_row(tmp_path):
    con, log = load_one(tmp_path, "google_ads/locale-fr-rapport-sur-les-campagnes.csv")
    assert log == ("google_ads", "loaded", 2, 2, 0, 1)  # "Total : compte" is skipped, not summed
    rows = con.execute(
        "select date, campaign_id, currency, spend, impressions, clicks, conversions "
        "from stg_google_ads__campaign_days order by date"
    ).fetchall()
    # "1 020,50" (U+202F between the thousands) is 1020.50; "10 500" impressions are 10500
    assert rows == [
        (date(2026, 9, 1), "12345678901", "EUR", Decimal("12.34"), 1234, 7, 1.0),
        (date(2026, 9, 2), "12345678901", "EUR", Decimal("1020.50"), 10500, 88, 2.5),
    ]


def test_italian_google_ads_report(tmp_path):
    con, log = load_one(tmp_path, "google_ads/locale-it-report-campagna.csv")
    assert log == ("google_ads", "loaded", 2, 2, 0, 0)
    # total cost 200,00 + 1.499,95 = 1699.95 EUR; impressions 10.000 + 12.500 = 22500
    assert con.execute(
        "select sum(spend), sum(impressions), sum(clicks) from stg_google_ads__campaign_days"
    ).fetchone() == (Decimal("1699.95"), 22500, 240)


def test_portuguese_meta_report(tmp_path):
    con, log = load_one(tmp_path, "meta/locale-pt-campanhas-por-dia.csv")
    assert log == ("meta_ads", "loaded", 2, 2, 0, 0)
    assert con.execute(
        "select date, campaign_name, impressions, clicks, spend from stg_meta__campaign_days order by date"
    ).fetchall() == [
        (date(2026, 9, 23), "Campanha Primavera", 5874, 156, Decimal("178.93")),
        (date(2026, 9, 24), "Campanha Primavera", 1002, 9, Decimal("0.00")),
    ]


def test_spanish_hubspot_contacts_never_keep_names_or_phones(tmp_path):
    """Shaped like a real Spanish contacts export: every cell quoted, "ID de registro", "Correo"."""
    con, log = load_one(tmp_path, "hubspot/locale-es-hubspot-crm-exports-clientes.csv")
    assert log == ("hubspot_contacts", "loaded", 2, 2, 0, 0)
    rows = con.execute(
        "select contact_id, lifecycle_stage, email_hash is not null, email_hash <> 'ana@example.com' "
        "from stg_hubspot__contacts order by contact_id"
    ).fetchall()
    assert rows == [("208291725630", "Lead", True, True), ("208291725631", "Cliente", True, True)]
    # "Fecha de creación" 2026-04-25 10:15 is New York time ([timezones] hubspot): 14:15 UTC (EDT, -4)
    assert con.execute("select min(created_at), max(created_at) from stg_hubspot__contacts").fetchone() == (
        datetime(2026, 4, 24, 22, 2),
        datetime(2026, 4, 25, 14, 15),
    )
    stored = " ".join(
        str(v) for row in con.execute("select * from stg_hubspot__contacts").fetchall() for v in row
    )
    assert "Ana" not in stored and "+34600000000" not in stored


def test_german_salesforce_leads_with_day_first_dates(tmp_path):
    con, log = load_one(tmp_path, "salesforce/locale-de-leads-bericht.csv")
    assert log == ("salesforce_leads", "loaded", 2, 2, 0, 0)
    rows = con.execute(
        "select lead_id, company, lead_source, lead_status, created_at from stg_salesforce__leads order by lead_id"
    ).fetchall()
    # "23.09.2026 14:05" and "1.10.2026 09:30": day first (a 23 decides), New York time
    # ([timezones] salesforce, EDT = UTC-4): 18:05 and 13:30 UTC
    assert rows == [
        ("00Q5g00000AbCd001A", "Muster GmbH", "Web", "Offen", datetime(2026, 9, 23, 18, 5)),
        ("00Q5g00000AbCd002A", "Beispiel AG", "Messe", "Qualifiziert", datetime(2026, 10, 1, 13, 30)),
    ]


def test_german_google_ads_report_skips_its_gesamt_rows(tmp_path):
    """German UIs close the table with "Gesamt: Konto" rows: skipped like "Total: Account", not rejected."""
    path = tmp_path / "Kampagnenbericht.csv"
    path.write_text(
        "Kampagnenbericht\r\n"
        '"1. Sept. 2026 - 2. Sept. 2026"\r\n'
        "Tag,Kampagne,Kampagnen-ID,Währungscode,Kosten,Impr.,Klicks\r\n"
        '2026-09-01,Herbst,12345678902,EUR,"1.234,56",900,9\r\n'
        '2026-09-02,Herbst,12345678902,EUR,"99,90",100,1\r\n'
        'Gesamt: Kampagnen,--,--,EUR,"1.334,46",1000,10\r\n'
        'Gesamt: Konto,--,--,EUR,"1.334,46",1000,10\r\n',
        encoding="utf-8",
    )
    con, log = load_one(tmp_path, path)
    assert log == ("google_ads", "loaded", 2, 2, 0, 2)  # 2 records, the 2 "Gesamt" rows skipped
    # "1.234,56" + "99,90" = 1334.46: decimal commas in a comma-separated file, the total not added again
    assert con.execute("select sum(spend) from stg_google_ads__campaign_days").fetchone()[0] == Decimal("1334.46")


def test_german_short_years_and_dutch_dash_datetimes(tmp_path):
    """German Salesforce locales write `23.09.26 14:05`, Dutch UIs `23-9-2026 14:05`: both day first."""
    de = tmp_path / "de.csv"
    de.write_text(
        '"Lead-ID","Lead-Inhaber","Firma","Lead-Status","Erstellt am"\r\n'
        '"00Q5g00000AbCd101A","Dana Weber","Muster GmbH","Offen","23.09.26 14:05"\r\n'
        '"00Q5g00000AbCd102A","Dana Weber","Beispiel AG","Offen","01.10.26 09:30"\r\n',
        encoding="utf-8",
    )
    con, log = load_one(tmp_path, de)
    assert log == ("salesforce_leads", "loaded", 2, 2, 0, 0)
    # New York time ([timezones] salesforce, EDT = UTC-4): 14:05 -> 18:05 UTC, 09:30 -> 13:30 UTC
    assert con.execute("select created_at from stg_salesforce__leads order by lead_id").fetchall() == [
        (datetime(2026, 9, 23, 18, 5),), (datetime(2026, 10, 1, 13, 30),),
    ]
    nl = tmp_path / "nl" / "hubspot-crm-exports-contacten-2026-09-24.csv"
    nl.parent.mkdir()
    nl.write_text(
        '"Record-ID","E-mailadres","Aanmaakdatum"\n"501","a@example.com","23-9-2026 14:05"\n"502","b@example.com","1-10-2026 09:30"\n',
        encoding="utf-8",
    )
    (r,) = load([nl], tmp_path / "nl.duckdb")
    assert r.status == "loaded", r.message
    with duckdb.connect(str(tmp_path / "nl.duckdb"), read_only=True) as c:
        # HubSpot's zone (America/New_York, EDT): 14:05 -> 18:05 UTC; Oct 1 09:30 -> 13:30 UTC
        assert c.execute("select created_at from stg_hubspot__contacts order by contact_id").fetchall() == [
            (datetime(2026, 9, 23, 18, 5),), (datetime(2026, 10, 1, 13, 30),),
        ]
