"""Config values are typed and range-checked, and a config mistake never ends in a traceback (issue 21
points 4 and 5): every value of revline.toml, channels.toml, digests.toml and alerts.toml has a type
and a range (etl/config_check.py, reports/config.py). Each entry point (the loader, the summary, the
digest, the alerts, the app) checks every file it reads before anything runs, and says a bad value or
a TOML syntax error in one line naming the file, the key (or the line), the value and what is allowed:
exit code 2, nothing loaded, nothing written; the app shows it as its one page, with no stack and no
server path.

Each case is a copy of the shipped config folder with one value changed: a bad value per key class
(a rate, hours, a fraction, a whole number, an enum, a time zone, a colour, an e-mail address, an
unknown key) and a syntax error per file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl.config import load_config
from etl.config_check import ConfigError
from queries.settings import load_record_links, load_settings
from reports.alerts import load_alert_config
from reports.config import check_config
from reports.digest import load_digest_config

REPO = Path(__file__).resolve().parent.parent
FILES = REPO / "tests" / "fixtures" / "exports" / "hubspot" / "hubspot-crm-exports-all-deals-2026-03-22.csv"

# (file, shipped text, bad text, key as the message names it, value as shown, what is allowed)
BAD_VALUES = [
    ("revline.toml", "USD = 1.0", "USD = 0", "[fx] USD", "0", "a number > 0"),
    ("revline.toml", "EUR = 1.08", "EUR = -1.08", "[fx] EUR", "-1.08", "a number > 0"),
    ("revline.toml", "GBP = 1.27", "GBP = nan", "[fx] GBP", "NaN", "a number > 0"),
    ("revline.toml", "sla_hours = 4.0", "sla_hours = -4", "[kpi] sla_hours", "-4", "a number above 0 and at most 168"),
    ("revline.toml", "keep_generations = 3", 'keep_generations = "three"', "[warehouse] keep_generations", '"three"',
     "a whole number >= 0"),
    ("revline.toml", "max_field_bytes = 1000000", "max_field_bytes = 1.5e6", "[limits] max_field_bytes",
     "1500000.0", "a whole number >= 1"),
    ("revline.toml", "gross_margin = 0.8", "gross_margin = 80", "[kpi] gross_margin", "80",
     "a number above 0 and at most 1"),
    ("revline.toml", 'clock = "business"', 'clock = "wall"', "[kpi] clock", '"wall"', 'one of "business", "calendar"'),
    ("revline.toml", 'ambiguous_order = "mdy"', 'ambiguous_order = "ymd"', "[dates] ambiguous_order", '"ymd"',
     'one of "mdy", "dmy"'),
    ("revline.toml", 'hubspot = "America/New_York"', 'hubspot = "Mars/Olympus"', "[timezones] hubspot",
     '"Mars/Olympus"', "a time zone name"),
    ("revline.toml", "sla_hours = 4.0", "sla_hours = 240", "[kpi] sla_hours", "240",
     "a number above 0 and at most 168"),  # minutes typed as hours: every MQL would look followed up in time
    ("revline.toml", "EUR = 1.08", '"EUR " = 1.08', '[fx] "EUR "', "1.08", "a three-letter currency code"),
    ("revline.toml", "sla_hours = 4.0", "sla_hour = 4.0", "[kpi] sla_hour", "4.0", "unknown key"),
    ("revline.toml", 'salesforce_score_field = "Lead Score"', "salesforce_score_field = 5",
     "[scoring] salesforce_score_field", "5", "text in quotes"),
    ("revline.toml", 'brand_terms = ["revline"]', 'brand_terms = ["acme", " "]', "[web] brand_terms", '["acme", " "]',
     "a term in quotes, not blank"),  # a blank term would make every search query brand
    ("revline.toml", 'brand_terms = ["revline"]', "brand_terms = 5", "[web] brand_terms", "5", "a term in quotes"),
    ("revline.toml", "USD = 1.0", "USD = 1.1", "[fx] USD", "1.1", "the reporting currency (USD) is 1 unit of itself"),
    ("revline.toml", "EUR = 1.08", "EUR = 1.08\neur = 1.2", "[fx] eur", "1.2", "EUR is already given a rate"),
    ("channels.toml", 'paid_social = "#0072B2"', "paid_social = 7", "[colors] paid_social", "7", 'a colour "#RRGGBB"'),
    ("alerts.toml", "sigma = 3", "sigma = -3", "[[rule]] number 4: sigma", "-3", "a number > 0"),
    ("alerts.toml", 'pct = 30\ndirection = "worse"', 'pct = 30\ndirection = "down"', "[[rule]] number 3: direction", '"down"',
     'one of "worse", "better", "any"'),
    ("digests.toml", "movers = 5", 'movers = "five"', "movers", '"five"', "a whole number >= 0"),
    ("digests.toml", "recipients = []", 'recipients = ["dana"]', "[roles.leadership] recipients", '["dana"]',
     "an e-mail address"),
    ("revline.toml", "opportunity_window_days = 30", "opportunity_window_days = 7.5", "[kpi] opportunity_window_days",
     "7.5", "a whole number >= 1"),
    ("revline.toml", "min_score = 50", 'min_score = "50"', "[[scoring.band]] number 2: min_score", '"50"',
     "a number"),  # a band's floor in quotes would compare as text
    ("revline.toml", 'name = "Cool"', 'name = "warm"', "[[scoring.band]] number 3: name", '"warm"',
     "a name of its own"),  # two bands of one name: a drill to one would list both
    ("revline.toml", "mql_min_sql_rate = 0.2", "mql_min_sql_rate = 20", "[scoring] mql_min_sql_rate", "20",
     "a number from 0 to 1"),
]  # fmt: skip
# (file, shipped text, text that is not TOML): the message names the line TOML names
SYNTAX = [
    ("revline.toml", "[kpi]", "[kpi"),
    ("channels.toml", 'other = "Other"', "other = Other"),
    ("alerts.toml", "sigma = 3", "sigma = = 3"),
    ("digests.toml", "drivers = 2", 'drivers = "2'),
]
LOAD_READS = ("revline.toml", "channels.toml")  # what the loader and the summary read (the rest: reports, app)
ENTRY_POINTS = {
    "loader": lambda tmp: ["etl", "load", str(FILES), "--db", str(tmp / "w.duckdb")],
    "summary": lambda tmp: ["queries", "summary", "--db", str(tmp / "none.duckdb"), "--start", "2026-10-01",
                            "--end", "2026-10-31"],
    "digest": lambda tmp: ["reports", "digest", "--db", str(tmp / "none.duckdb"), "--out", str(tmp / "out")],
    "alerts": lambda tmp: ["reports", "alerts", "--db", str(tmp / "none.duckdb")],
}  # fmt: skip


def config_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the shipped config folder with `old` changed to `new` (once) in `file`."""
    folder = tmp_path / "config"
    shutil.copytree(REPO / "config", folder, dirs_exist_ok=True)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text, (file, old)
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def line_of(file: str, old: str) -> int:
    text = (REPO / "config" / file).read_text(encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def says_it(message: str, file: str, key: str, value: str, allowed: str) -> None:
    assert message.count("\n") == 0 and "Traceback" not in message, message
    assert f"{file} (in REVLINE_CONFIG_DIR): {key} = {value}: not allowed;" in message, message
    assert allowed in message, message


@pytest.mark.parametrize(("file", "old", "new", "key", "value", "allowed"), BAD_VALUES)
def test_every_bad_value_is_refused_by_every_reader(tmp_path, file, old, new, key, value, allowed):
    folder = config_with(tmp_path, file, old, new)
    with pytest.raises(ConfigError) as refused:
        check_config(folder)
    says_it(str(refused.value), file, key, value, allowed)
    readers = {"revline.toml": [load_config, load_settings, load_record_links], "channels.toml": [load_config],
               "alerts.toml": [lambda d: load_alert_config(d / "alerts.toml")],
               "digests.toml": [lambda d: load_digest_config(d / "digests.toml")]}[file]  # fmt: skip
    for read in readers:  # and each reader of the file, whoever calls it
        with pytest.raises(ConfigError) as again:
            read(folder)
        assert str(again.value) == str(refused.value)


@pytest.mark.parametrize(("file", "old", "new"), SYNTAX)
def test_a_syntax_error_names_the_file_and_line(tmp_path, file, old, new):
    folder = config_with(tmp_path, file, old, new)
    with pytest.raises(ConfigError) as refused:
        check_config(folder)
    said = str(refused.value)
    assert said.startswith(f"{file} (in REVLINE_CONFIG_DIR) line {line_of(file, old)}, column ") and "not valid TOML" in said
    assert "\n" not in said and str(tmp_path) not in said


def test_the_shipped_config_and_missing_files_pass(tmp_path):
    check_config()  # the repository's own files
    check_config(tmp_path)  # no files at all: every key has its default
    assert load_config(tmp_path).keep_generations == 3 and load_settings(tmp_path).sla_hours == 4.0


def test_a_byte_order_mark_is_read_past(tmp_path):
    folder = config_with(tmp_path, "revline.toml", "sla_hours = 4.0", "sla_hours = 6.0")
    (folder / "revline.toml").write_bytes(b"\xef\xbb\xbf" + (folder / "revline.toml").read_bytes())  # Notepad's UTF-8
    check_config(folder)
    assert load_settings(folder).sla_hours == 6.0


def run_cli(args: list[str], config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "REVLINE_CONFIG_DIR": str(config), "REVLINE_EMAIL_HASH_KEY": "test-key"}
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_refuses_a_bad_config_in_one_line(tmp_path, entry):
    """Each bad value and each syntax error of a file the command reads: exit 2, one line on stderr,
    nothing on stdout, no warehouse written, no digest written."""
    reads = LOAD_READS if entry in ("loader", "summary") else ("revline.toml", "channels.toml", "alerts.toml",
                                                                "digests.toml")  # fmt: skip
    for i, (file, old, new, key, value, allowed) in enumerate(c for c in BAD_VALUES if c[0] in reads):
        work = tmp_path / f"bad{i}"
        out = run_cli(ENTRY_POINTS[entry](work), config_with(work, file, old, new))
        assert out.returncode == 2 and out.stdout == "", (entry, new, out.stdout, out.stderr)
        assert out.stderr.startswith("error: ") and out.stderr.count("\n") == 1, (entry, new, out.stderr)
        says_it(out.stderr.strip(), file, key, value, allowed)
        assert not (work / "w.duckdb").exists() and not (work / "out").exists()  # nothing loaded or written
    for i, (file, old, new) in enumerate(c for c in SYNTAX if c[0] in reads):
        work = tmp_path / f"syntax{i}"
        out = run_cli(ENTRY_POINTS[entry](work), config_with(work, file, old, new))
        assert out.returncode == 2 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr, out.stderr
        assert f"{file} (in REVLINE_CONFIG_DIR) line {line_of(file, old)}, column " in out.stderr, out.stderr
        assert not (work / "w.duckdb").exists() and not (work / "out").exists()


@pytest.mark.parametrize(("file", "old", "new", "said"), [
    (*BAD_VALUES[0][:3], "[fx] USD = 0: not allowed; must be a number > 0."),
    (*BAD_VALUES[4][:3], '[warehouse] keep_generations = "three": not allowed; must be a whole number >= 0.'),
    (*next(b for b in BAD_VALUES if b[0] == "alerts.toml")[:3], "[[rule]] number 4: sigma = -3: not allowed; must be a number > 0."),
    (*SYNTAX[0], f"revline.toml (in REVLINE_CONFIG_DIR) line {line_of('revline.toml', '[kpi]')}, column"),
])  # fmt: skip
def test_the_app_shows_a_config_mistake_as_its_one_page(revenue_db, tmp_path, monkeypatch, app, file, old, new, said):
    monkeypatch.setenv("REVLINE_CONFIG_DIR", str(config_with(tmp_path, file, old, new)))
    for page in (None, "sales"):  # the landing page and a deep link
        at = app(revenue_db, page)
        assert not at.exception and not at.metric and not at.dataframe
        [error] = [e.value for e in at.error]
        assert said in error and "\n" not in error and str(tmp_path) not in error and "Traceback" not in error


def test_a_missing_config_folder_and_a_broken_secrets_file_are_one_line(tmp_path):
    """A mistyped REVLINE_CONFIG_DIR would run on every default; a secrets file that is not TOML ended
    the loader in a tomllib traceback (the e-mail hash key is looked up there)."""
    out = run_cli(ENTRY_POINTS["loader"](tmp_path), tmp_path / "no-such-folder")
    assert out.returncode == 2 and out.stderr.startswith("error: REVLINE_CONFIG_DIR does not name a folder")
    assert out.stderr.count("\n") == 1 and not (tmp_path / "w.duckdb").exists()
    (tmp_path / "secrets.toml").write_text('[revline]\nemail_hash_key = "abc\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "REVLINE_EMAIL_HASH_KEY"} | {
        "REVLINE_SECRETS": str(tmp_path / "secrets.toml")}
    out = subprocess.run([sys.executable, "-m", *ENTRY_POINTS["loader"](tmp_path)], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert "secrets.toml (in REVLINE_SECRETS) line 2, column 22: not valid TOML" in out.stderr, out.stderr
    assert not (tmp_path / "w.duckdb").exists()
