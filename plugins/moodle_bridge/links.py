"""Links as they stand: the latest change of each, read from `slrs_moodle_links` into a snapshot.

A bridge reads one snapshot per page, so every statement of the page (and the
pending ones retried before it) sees the same links; `LinkSet.size` counts the
rows read, and since rows are only appended, a different count means a change.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

IDENTITY, ACTIVITY, SESSION, CHOICE = "identity", "activity", "session", "choice"
KINDS = (IDENTITY, ACTIVITY, SESSION, CHOICE)
NAMESPACE = uuid.UUID("5d0c3c71-3a4f-4a43-8f7e-2b8f6f1d9e10")
Fetch = Callable[[str, Sequence[Any]], list[Any]]


def link_id(kind: str, key: str, target: str) -> str:
    """The stable id of the link of `key` to `target`: the same link made again has the same id."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}\n{key}\n{target}"))


@dataclass(frozen=True)
class Link:
    """One standing link: an identity's worker, an activity's course, an activity's session, or a clerk's choice.

    An identity's `key` is the LRS's pseudonym of it; `sealed` the identity as the LRS seals agents.
    """

    id: str
    kind: str
    key: str
    target: str
    made_by: str
    agency: str | None
    made_at: str
    sealed: dict[str, Any] | None = None


class LinkSet:
    """The links standing after the rows read, and how many rows that was."""

    def __init__(self, links: Iterable[Link], size: int) -> None:
        self.links = list(links)
        self.size = size
        self._by: dict[tuple[str, str], list[str]] = {}
        for link in self.links:
            self._by.setdefault((link.kind, link.key), []).append(link.target)

    @classmethod
    def of_rows(cls, rows: Sequence[Mapping[str, Any]]) -> LinkSet:
        """Fold the appended rows (any order): per link, the latest row (by `seq`) decides."""
        standing: dict[str, tuple[int, Link]] = {}
        for row in sorted(rows, key=lambda r: int(r["seq"])):
            if row["active"]:
                link = Link(row["link"], row["kind"], row["link_key"], row["target"], row["made_by"], row["agency"],
                            row["made_at"], json.loads(row["sealed"]) if row["sealed"] else None)
                standing[row["link"]] = standing.get(row["link"], (int(row["seq"]), link))
            else:
                standing.pop(row["link"], None)
        return cls([link for _, link in sorted(standing.values(), key=lambda found: found[0])], len(rows))

    def targets(self, kind: str, key: str) -> list[str]:
        """Every target `key` is linked to, oldest link first."""
        return list(self._by.get((kind, key), ()))

    def one(self, kind: str, key: str) -> str | None:
        """The target of `key` when it has one (identities and activities have at most one)."""
        found = self.targets(kind, key)
        return found[0] if found else None

    def find(self, link: str) -> Link | None:
        """The standing link of that id, None if it is not standing."""
        return next((found for found in self.links if found.id == link), None)


def read_links(fetch: Fetch) -> LinkSet:
    """Every link row, folded. `fetch(sql, params)` runs one query (`?` placeholders) and returns its rows."""
    return LinkSet.of_rows(fetch("SELECT * FROM slrs_moodle_links", []))


def count_links(fetch: Fetch) -> int:
    """How many link rows there are (rows are only appended: a new count means a change)."""
    return int(fetch("SELECT COUNT(*) AS n FROM slrs_moodle_links", [])[0]["n"])

