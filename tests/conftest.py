"""Shared test setup: a fixed email-hash key so hashes are reproducible across a test run."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _hash_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVLINE_EMAIL_HASH_KEY", "test-key")
