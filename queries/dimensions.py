"""The dimensions a view can be filtered by (the sidebar, the summary command's options, the binding),
listed once in queries/registry.toml `dimensions`. Their own module: the runner binds them as lists
and the registry, which reads the runner's query parameters, checks each metric against them."""

from __future__ import annotations

import tomllib
from pathlib import Path

REGISTRY = Path(__file__).parent / "registry.toml"
DIMENSIONS: tuple[str, ...] = tuple(tomllib.loads(REGISTRY.read_text(encoding="utf-8"))["dimensions"])
