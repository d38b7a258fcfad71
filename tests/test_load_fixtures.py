"""The committed fixture exports are exactly what tests/fixtures/make_fixtures.py writes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def test_fixture_exports_are_reproducible(tmp_path):
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.main(tmp_path)
    committed = sorted(
        p.relative_to(FIXTURES / "exports") for p in (FIXTURES / "exports").rglob("*") if p.is_file()
    )
    assert sorted(p.relative_to(tmp_path) for p in written) == committed
    changed = [
        str(p) for p in committed if (tmp_path / p).read_bytes() != (FIXTURES / "exports" / p).read_bytes()
    ]
    assert changed == [], "run: python tests/fixtures/make_fixtures.py"
