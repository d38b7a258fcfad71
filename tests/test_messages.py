"""Refusals that say what to change: a file that partly matches an export is named as that export,
in its UI language, with what is missing and where the vendor's UI adds it; a missing date of an
ad report is a missing daily breakdown with the vendor's click path; an unrelated file gets the
list of accepted exports. Real loader, real DuckDB file, files written here in real shapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.contracts import all_contracts
from etl.errors import LoadError
from etl.loader import load

ACCEPTED = [c.label for c in all_contracts()]
LINE = 80  # the CLI prints "failed: <message>" in a terminal


def refused(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    (result,) = load([path], tmp_path / "w.duckdb")
    assert (result.status, result.counts.rows_loaded) == ("failed", 0), result.message
    assert "\n" not in result.message  # one line, for scripts that grep it
    if "is not an export" not in result.message:  # the generic message lists every export instead
        assert len(result.message) <= 4 * LINE, result.message
    return result.message


# The default Google Ads campaign report: no Day segment, no Campaign ID column (as every real one).
GOOGLE_DEFAULT = (
    "Campaign report\n"
    '"March 27, 2026 - April 23, 2026"\n'
    "Campaign status,Campaign,Budget,Budget name,Budget type,Status,Campaign type,Impr.,CTR,Currency code,"
    "Cost,Clicks,Conversions\n"
    "Enabled,Brand Search,10.00, --,Daily,Eligible,Search,120,2.50%,EUR,12.00,3,1.00\n"
    "Total: Account,,,,,,,120,2.50%,EUR,12.00,3,1.00\n"
)


def test_default_google_report_asks_for_the_day_segment_not_a_day_column(tmp_path):
    msg = refused(tmp_path, "Campaign report.csv", GOOGLE_DEFAULT)
    assert msg.startswith(
        "Campaign report.csv: looks like a Google Ads campaign report (by day) (header on line 3) but has "
        "no breakdown by day"
    )
    assert "Expected: one row per day (Segment > Time > Day)" in msg
    assert "'Day'" not in msg and "'Date'" not in msg


def test_header_only_google_report_is_named_as_google(tmp_path):
    """A 2019 download with no rows and no metric columns (the real one has exactly this header)."""
    msg = refused(
        tmp_path,
        "Campaign report.csv",
        "Campaign report\nAll time\nCampaign status,Campaign,Budget name,Currency code,Budget,Budget type,Status,"
        "Campaign type\n",
    )
    assert msg.startswith("Campaign report.csv: looks like a Google Ads campaign report (by day) (header on line 3)")
    assert "no breakdown by day and lacks the columns " in msg and "'Cost' and 'Impr.'" in msg


def test_spanish_contacts_without_a_creation_date_name_the_column_in_spanish(tmp_path):
    """A real Spanish custom view: ID de registro, names, an e-mail, but no "Fecha de creación"."""
    msg = refused(
        tmp_path,
        "hubspot-crm-exports-clientes-2026-04-25-2.csv",
        '"ID de registro","Nombre","Apellidos","Nacionalidad","Número de teléfono","Correo"\n'
        '"208291725630","Ana","Prueba","Española"," +34600000000","ana@example.com"\n',
    )
    assert msg == (
        "hubspot-crm-exports-clientes-2026-04-25-2.csv: looks like a HubSpot contacts export in Spanish "
        "(header on line 1) but lacks the column 'Fecha de creación' ('Create Date'). Expected: the column "
        "added (Edit columns on the contacts view, then Export (All properties also works))."
    )


def test_german_google_report_without_day_and_id_says_german_and_names_both(tmp_path):
    msg = refused(
        tmp_path,
        "Kampagnenbericht.csv",
        'Kampagnenbericht\n"1. September 2026 - 2. September 2026"\n'
        "Kampagne,Währungscode,Kosten,Impr.,Klicks,Conversions\n"
        'Dach Frühling,USD,"1.234,56","12.345",120,"3,00"\n',
    )
    assert msg.startswith("Kampagnenbericht.csv: looks like a Google Ads campaign report (by day) in German")
    assert "(header on line 3) but has no breakdown by day" in msg
    assert "one row per day (Segment > Time > Day)" in msg


def test_a_localised_header_names_its_missing_column_in_that_language(tmp_path):
    msg = refused(
        tmp_path,
        "Rapport sur les campagnes.csv",
        "Rapport sur les campagnes\nJour;Campagne;Code de la devise;Impr.;Clics\n2026-09-01;Toitures;EUR;1 234;7\n",
    )
    assert "looks like a Google Ads campaign report (by day) in French (header on line 2)" in msg
    assert "lacks the column" in msg and "'Coût' ('Cost')" in msg


@pytest.mark.parametrize(
    ("name", "text", "click_path"),
    [
        (
            "Example-Campaigns-1-Sep-2026-30-Sep-2026.csv",
            "Campaign name,Campaign ID,Impressions,Amount spent (EUR)\nSpring,120000000000000001,100,5.00\n",
            "Breakdown > By time > Day",
        ),
        (
            "campaign_performance_report.csv",
            "Campaign Name\tCampaign ID\tTotal Spent\tImpressions\nSpring\t512345678\t5.00\t100\n",
            "Time breakdown: Daily",
        ),
        (
            "tiktok-campaigns.csv",
            "Campaign name,Campaign ID,Cost,Impressions,Clicks (destination)\nSpring,1790000000000001,5.00,100,3\n",
            "By Day",
        ),
    ],
    ids=["meta", "linkedin", "tiktok"],
)
def test_a_missing_date_of_an_ad_report_is_a_missing_daily_breakdown(tmp_path, name, text, click_path):
    msg = refused(tmp_path, name, text)
    assert f"but has no breakdown by day. Expected: one row per day ({click_path})." in msg
    assert "column" not in msg  # never "add a column" for a date


def test_a_ga4_report_without_date_is_named_with_the_click_path(tmp_path):
    """GA4 downloads are read by day: the same report without Date is named, never 'not recognised'."""
    msg = refused(
        tmp_path, "Traffic_acquisition.csv",
        "# Traffic acquisition\n#\nSession primary channel group,Sessions,Engaged sessions,Key events\n"
        "Organic Search,120,80,3\n",
    )  # fmt: skip
    assert msg.startswith("Traffic_acquisition.csv: looks like a GA4 Traffic acquisition report")
    assert "no breakdown by day" in msg and "Time > Date" in msg


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Time_series.csv", "Date,Clicks,Impressions,Avg. CPC,Cost\n\"Thu, 5 Feb 2026\",0,0,US$0.00,US$0.00\n"),
        ("orders.csv", "order_id,customer,total\n1,Acme,10\n"),
    ],
    ids=["google-overview-card", "orders"],
)
def test_an_unrelated_file_gets_the_list_of_accepted_exports(tmp_path, name, text):
    msg = refused(tmp_path, name, text)
    assert msg.startswith(f"{name}: is not an export Revline recognises")
    assert all(label in msg for label in ACCEPTED), msg


def test_file_names_with_markup_and_control_characters_are_shown_as_text(tmp_path):
    """A file name is outside input: a terminal escape or a bidi override in it must not act on the
    terminal; rich markup stays literal text for the printer to print with markup=False."""
    name = "[red]Ads\x1b[2J\u202eexport.csv"
    msg = refused(tmp_path, name, "order_id,customer,total\n1,Acme,10\n")
    assert msg.startswith("[red]Ads\\x1b[2J\\u202eexport.csv: is not an export Revline recognises")
    assert not any(ch in msg for ch in "\x1b\u202e\r\n")


def test_a_very_long_file_name_is_shortened_in_the_middle():
    err = LoadError("a" * 150 + "-report.csv", "is empty (0 bytes).")
    assert err.file_name.endswith("-report.csv") and "…" in err.file_name and len(err.file_name) <= 100
    assert str(err) == f"{err.file_name}: is empty (0 bytes)."
