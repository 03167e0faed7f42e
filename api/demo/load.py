"""`slrs demo`: load the demo partnership once, through the training records' own commands."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from uuid import UUID

from api.demo.cast import SECTOR_AGENCIES
from api.demo.year import START, Demo, at
from domain.application import TrainingRecords
from kernel.clock import FixedClock

SEED = 2026
WORKERS = 2400


@dataclass(frozen=True)
class Loaded:
    """What a load did: commands given, refused by a rule (as a clerk's would be), and seconds taken."""

    commands: int
    refused: int
    seconds: float


def is_loaded(records: TrainingRecords) -> bool:
    """Whether the store already holds the demo (its first agency)."""
    return records.recorder.select_events(_first_agency_id(), limit=1) != []


def _first_agency_id() -> UUID:
    from domain.ids import aggregate_id

    return aggregate_id("agency", SECTOR_AGENCIES[0][0])


def load_demo(environ: Mapping[str, str] | None = None, workers: int = WORKERS, seed: int = SEED,
              progress: Callable[[int], None] | None = None, planned: Callable[[int], None] | None = None
              ) -> Loaded | None:
    """Load the demo partnership into the store of `environ`; None when it is there already.

    The same seed and size give the same partnership, event for event.
    """
    clock = FixedClock(at(START))
    records = TrainingRecords(environ, clock=clock)
    try:
        if is_loaded(records):
            return None
        began = time.perf_counter()
        demo = Demo(records, clock, random.Random(seed))
        demo.plan(workers)
        if planned is not None:
            planned(len(demo.actions))
        given = demo.run(progress)
        return Loaded(given, len(demo.refusals), time.perf_counter() - began)
    finally:
        records.close()
