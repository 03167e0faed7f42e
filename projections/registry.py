"""The followers `slrs follow NAME` can run, by name."""

from __future__ import annotations

from projections.stats import StatsProjection

PROJECTIONS = {"stats": StatsProjection}


def store_name(projection: str) -> str:
    """The name of a projection's own store (its SQLite file, its settings prefix)."""
    return f"projection_{projection}"
