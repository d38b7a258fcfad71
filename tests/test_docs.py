"""Every option is documented (as Datasette tests its own): each key a Revline URL may carry is in the
README's "What a link can say" table, and each date preset the table names exists."""

from __future__ import annotations

import re
from pathlib import Path

from ui.periods import PRESETS
from ui.state import URL_KEYS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def link_table() -> str:
    start = README.index("### What a link can say")
    return README[start : README.index("\n\n!", start)]


def test_every_url_key_is_documented():
    documented = {k for row in link_table().splitlines() if row.startswith("| `")
                  for k in re.findall(r"`(\w+)`", row.split(" | ")[0])}  # fmt: skip
    assert documented >= URL_KEYS, sorted(URL_KEYS - documented)
    assert documented <= URL_KEYS, sorted(documented - URL_KEYS)  # nothing documented that the app ignores


def test_documented_presets_exist():
    row = next(r for r in link_table().splitlines() if r.startswith("| `range`"))
    named = set(re.findall(r"`(\w+)`", row.split(" | ")[1]))
    assert named and named <= set(PRESETS), sorted(named - set(PRESETS))
