"""Every option is documented (as Datasette tests its own): each key a Revline URL may carry is in the
README's "What a link can say" table, and each date preset the table names exists; docs/SECURITY.md's
table of the pages each role opens is the page catalogue's."""

from __future__ import annotations

import re
from pathlib import Path

from queries.pages import EVERY_ROLE, PAGES
from ui.periods import PRESETS
from ui.state import URL_KEYS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SECURITY = (Path(__file__).resolve().parents[1] / "docs" / "SECURITY.md").read_text(encoding="utf-8")


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


def test_the_security_page_table_is_the_catalogue():
    """Every page, each role's "yes" where the catalogue (queries/pages.py) lets the role open it."""
    lines = [r.strip() for r in SECURITY.splitlines() if r.strip().startswith("| ")]
    head = next(i for i, r in enumerate(lines) if r.startswith("| page | "))
    assert [c.strip() for c in lines[head].strip("|").split("|")][1:] == list(EVERY_ROLE)
    documented = {}
    for row in lines[head + 1 :]:  # the |---| line is not among them
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) != len(EVERY_ROLE) + 1:
            break
        documented[cells[0]] = tuple(r for r, c in zip(EVERY_ROLE, cells[1:], strict=True) if c == "yes")
    assert documented == {p.title: p.roles for p in PAGES}
