"""Which tier a test is in, read from what it uses (pytest.ini registers the markers, tests/conftest.py
applies them), so no test carries a marker by hand and a new test lands in the right tier."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression
from hypothesis import settings

TESTS = Path(__file__).resolve().parent
APP_FIXTURES = {"app", "app_once"}  # AppTest renders
BROWSER_FIXTURES = {"chromium", "browser", "server_port"}  # a real Chromium or a `streamlit run` server
SLOW_FIXTURES = {"demo_warehouse", "streamed", "load_files"}  # the demo warehouse, or a fresh ETL per call
# A SparkSession (a JVM, seconds to start, and golden warehouses copied to Parquet): the `spark` tier,
# always `slow` too, so every command that leaves out `slow` (the inner loop) leaves Spark out.
SPARK_FIXTURES = {"spark"}
# A test whose own code (or a tests/ helper it calls) uses these runs the ETL or a command itself:
# seconds each, where the session's golden warehouses are built once.
# The digest and alerts commands (reports.__main__) count too: a digest prints its PDF in Chromium.
SLOW_MODULES = {"etl.loader", "etl.demo_data", "etl.bootstrap", "etl.cli", "ui.upload", "subprocess", "reports.__main__"}
DEMO_MODULES = {"etl.demo_data", "etl.bootstrap"}  # a fixture of any scope building the demo is demo-scale


# The inner loop (a run whose -m leaves out the slow tier) tries a tenth of each property test's
# examples; the full suite, CI and `-m slow` try them all. `--hypothesis-profile` still wins.
settings.register_profile("fast", max_examples=10)


def configure(config: pytest.Config) -> None:
    if leaves_out_slow(config.option.markexpr) and not config.getoption("hypothesis_profile", None):
        settings.load_profile("fast")


def parallel(config: pytest.Config) -> None:
    """Every run spreads over every core (pytest-xdist, one module per worker so module fixtures are
    built once): tests are independent (own tmp_path, own ports, memory bounds in child processes), so
    2 cores halve the wall time of the inner loop and of the full suite CI runs. `-n` wins."""
    if hasattr(config, "workerinput") or config.option.usepdb or config.option.collectonly:
        return
    if getattr(config.option, "numprocesses", 0) is None:
        config.option.numprocesses = len(os.sched_getaffinity(0))
        config.option.dist = "loadscope"


def leaves_out_slow(markexpr: str) -> bool:
    """Whether `-m markexpr` deselects a test whose only marker is `slow`."""
    return bool(markexpr) and not Expression.compile(markexpr).evaluate(lambda name, **_: name == "slow")


def examples(full: int) -> settings:
    """A property test's settings: `full` examples under hypothesis's default profile (100 per test),
    scaled with the active profile's count, so the fast profile above tries a tenth."""
    return settings(max_examples=max(1, full * settings.default.max_examples // 100), deadline=None)


def every(values: range) -> range:
    """All of `values` under the full profile, every tenth from the first under the inner loop's: for a
    test that walks an exhaustive range, scaled the way a property test's examples are."""
    step = max(1, 100 // settings.default.max_examples)
    return values if step == 1 else range(values.start, values.stop, values.step * step)


def markers(item: pytest.Item) -> list[str]:
    """The tier markers of one collected test."""
    used = set(getattr(item, "fixturenames", ()))
    found = []
    if used & APP_FIXTURES:
        found.append("app")
    if used & BROWSER_FIXTURES or TESTS / "e2e" in item.path.parents:
        found.append("browser")
    if used & SPARK_FIXTURES:
        found.append("spark")
    if used & (SLOW_FIXTURES | SPARK_FIXTURES) or runs_etl_or_a_command(item):
        found.append("slow")
    return found


def runs_etl_or_a_command(item: pytest.Item) -> bool:
    func = getattr(item, "function", None)
    if func is None:
        return False
    if _uses(SLOW_MODULES, func, set()):
        return True
    for defs in item._fixtureinfo.name2fixturedefs.values():
        fixture = defs[-1]  # per test, the ETL counts; once per module, only the demo's
        if _uses(SLOW_MODULES if fixture.scope == "function" else DEMO_MODULES, fixture.func, set()):
            return True
    return False


def _uses(modules: set[str], func, seen: set) -> bool:
    """Whether `func` (or a function or class of tests/ it names) uses one of `modules`."""
    code = getattr(func, "__code__", None)
    if code is None or code in seen:
        return False
    seen.add(code)
    return _code_uses(modules, code, func.__globals__, seen)


def _code_uses(modules: set[str], code: types.CodeType, names: dict, seen: set) -> bool:
    if modules & set(code.co_names):  # `import subprocess` or `from etl.loader import load` in the body
        return True
    imported = [sys.modules[n] for n in code.co_names if "." in n and n in sys.modules]  # `from m import f`
    for name in code.co_names:
        obj = names[name] if name in names else next((getattr(m, name) for m in imported if hasattr(m, name)), None)
        if getattr(obj, "__name__", None) in modules or getattr(obj, "__module__", None) in modules:
            return True
        for f in vars(obj).values() if isinstance(obj, type) else [obj]:  # a class: its methods
            inner = getattr(f, "__code__", None)
            if inner is not None and Path(inner.co_filename).is_relative_to(TESTS) and _uses(modules, f, seen):
                return True
    inner = [c for c in code.co_consts if isinstance(c, types.CodeType) and c not in seen]  # closures, lambdas
    return any(seen.add(c) or _code_uses(modules, c, names, seen) for c in inner)


def apply(items: list[pytest.Item]) -> None:
    for item in items:
        for name in markers(item):
            item.add_marker(getattr(pytest.mark, name))
