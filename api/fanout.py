"""Several followers of one log caught up together: each page read and decoded once, then applied to each.

Every follower still writes its rows and its position in one transaction of its
own store (kernel/follow.py), so each resumes from its own position; reading
the log once for all of them is what makes a rebuild of every projection of the
records' log cost one decoding of the log rather than one per follower.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kernel.follow import Follower, settle
from projections.facts import collector_paused

Advance = Callable[[int], None]


def catch_up_together(followers: Sequence[Follower[Any]], page_size: int = 1000, advance: Advance | None = None) -> int:
    """Apply every log's pages to each of its followers that has not applied them; the notifications read.

    `advance(n)` is told of each page of n notifications read (a progress bar).
    """
    total = 0
    for group in _by_log(followers):
        log = group[0].log
        positions = [f.store.position() for f in group]
        while page := log.recorder.select_notifications(min(positions) + 1, page_size):
            decoded = [(n.id, log.decode(n)) for n in page if log.reads(n)]
            last = page[-1].id
            for index, follower in enumerate(group):
                if positions[index] >= last:
                    continue
                values = [value for position, value in decoded if position > positions[index]]
                with follower.store.transaction() as cursor:
                    if values:
                        follower.processor.apply(follower.store, cursor, values)
                    follower.store.set_position(cursor, last)
                positions[index] = last
            total += len(page)
            if advance is not None:
                advance(len(page))
        for follower in group:
            settle(follower.processor, follower.store)
    return total


def rebuild_together(followers: Sequence[Follower[Any]], page_size: int = 1000, advance: Advance | None = None) -> int:
    """Forget what each follower applied, then apply its whole log again; the notifications read."""
    for follower in followers:
        with follower.store.transaction() as cursor:
            follower.processor.reset(cursor)
            follower.store.set_position(cursor, 0)
    with collector_paused():
        return catch_up_together(followers, page_size, advance)


def _by_log(followers: Sequence[Follower[Any]]) -> list[list[Follower[Any]]]:
    groups: dict[str, list[Follower[Any]]] = {}
    for follower in followers:
        groups.setdefault(follower.log.name, []).append(follower)
    return list(groups.values())
