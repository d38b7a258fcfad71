"""The test tiers stay usable: every marker pytest.ini registers is documented in the README and left
out by its inner-loop command, and no test builds an AppTest or checks for Chromium on its own (it
would escape the tier its fixture puts it in, tests/conftest.py)."""

from __future__ import annotations

import configparser
import os
import re
from pathlib import Path

import pytest

from tests.tiers import leaves_out_slow, parallel

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def markers() -> set[str]:
    ini = configparser.ConfigParser()
    ini.read(REPO / "pytest.ini")
    return {line.split(":")[0].strip() for line in ini["pytest"]["markers"].strip().splitlines()}


def test_every_marker_is_documented_and_left_out_of_the_inner_loop():
    assert markers() == {"app", "browser", "slow", "spark"}
    inner = re.search(r'pytest -m "([^"]+)"', README)
    assert inner, "README names no inner-loop command"
    # a Spark test is `slow` too (tests/tiers.py): the inner loop's `not slow` leaves it out
    assert set(re.findall(r"not (\w+)", inner.group(1))) == markers() - {"spark"}
    for name in markers():
        assert f"`{name}`" in README, name


def test_tests_use_the_shared_app_and_chromium_fixtures():
    own = []
    for path in sorted(set((REPO / "tests").rglob("*.py")) - {Path(__file__).resolve()}):
        text = path.read_text(encoding="utf-8")
        if path.name != "apptest.py" and re.search(r"AppTest\.from_", text):
            own.append(f"{path.name}: AppTest built without the `app` fixture")
        if path.name != "conftest.py" and "Path(CHROMIUM).exists()" in text:
            own.append(f"{path.name}: its own Chromium check instead of the `chromium` fixture")
    assert own == []


def test_only_a_run_leaving_out_slow_takes_the_fast_hypothesis_profile():
    """The inner loop tries a tenth of each property test's examples; every other run tries them all."""
    assert leaves_out_slow("not app and not browser and not slow") and leaves_out_slow("not (slow or app)")
    assert not any(map(leaves_out_slow, ["", "not app and not browser", "slow", "slow or app"]))


def test_every_run_spreads_over_every_core(pytestconfig: pytest.Config):
    """The inner loop and the full suite run one module per worker on every core; an explicit `-n`
    stays as asked (`-n 0` for a serial run, e.g. under --pdb)."""

    def option(markexpr: str, numprocesses: int | None = None) -> object:
        config = pytest.Config.__new__(pytest.Config)
        args = dict(vars(pytestconfig.option), markexpr=markexpr, numprocesses=numprocesses, dist="no")
        config.option = type(pytestconfig.option)(**args)
        parallel(config)
        return config.option.numprocesses, config.option.dist

    cores = (len(os.sched_getaffinity(0)), "loadscope")
    assert option("not app and not browser and not slow") == cores
    assert option("") == cores and option("slow or app") == cores
    assert option("not slow", numprocesses=0) == (0, "no")


def test_a_spark_test_is_in_the_spark_and_slow_tiers():
    """A test using the `spark` fixture runs in the full suite and `-m spark`, never in the inner loop."""
    from types import SimpleNamespace

    from tests.tiers import markers as tier_markers

    item = SimpleNamespace(fixturenames=["spark", "tmp_path"], path=REPO / "tests" / "test_spark.py", function=None)
    assert tier_markers(item) == ["spark", "slow"]
    assert leaves_out_slow("not app and not browser and not slow")
