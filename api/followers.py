"""Every follower the system runs, whoever owns it (projections or plugins), and the logs they follow.

`slrs follow NAME` runs one of FOLLOWERS; `slrs init` makes their tables;
/health lists each with its log, position and lag. A follower is one entry
here: a function of the process's `Services` returning its processor, whose
`log` names the log it follows. A log is one entry in LOGS: the owning
application's recorder and the decoder its context provides (the training
records' log is `Log("records", services.records.recorder,
services.records.decode)`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from kernel.follow import Log, Processor
from kernel.persistence import ConfigurationError
from lrs.service import LearningRecordStore
from projections.audit import AuditProjection, StatementAuditProjection
from projections.delivery import DeliveryProjection
from projections.evaluations import EvaluationProjection
from projections.ledger import LedgerProjection
from projections.progress import ProgressProjection
from projections.stats import StatsProjection

if TYPE_CHECKING:
    from api.app import Services


def statement_log(services: Services) -> Log[dict[str, Any]]:
    """The statement log, decoded by the LRS: statements as plain dicts, personal values sealed."""
    lrs = services.lrs
    return Log("lrs", lrs.recorder, lrs.decode_statement, LearningRecordStore.statement_topics)


def records_log(services: Services) -> Log[Any]:
    """The training records' log, decoded by the records: their domain events."""
    return Log("records", services.records.recorder, services.records.decode)


LOGS: dict[str, Callable[[Services], Log[Any]]] = {
    "lrs": statement_log,
    "records": records_log,
}

FOLLOWERS: dict[str, Callable[[Services], Processor[Any]]] = {
    "stats": lambda services: StatsProjection(),
    # The reports' facts (projections/, README "Reports"): each of the records' log but the last.
    "progress": lambda services: ProgressProjection(),
    "delivery": lambda services: DeliveryProjection(),
    "ledger": lambda services: LedgerProjection(),
    "evaluations": lambda services: EvaluationProjection(),
    "audit": lambda services: AuditProjection(services.storage.dialect),
    "audit_statements": lambda services: StatementAuditProjection(),
}


def store_name(follower: str) -> str:
    """The name of a follower's own store: its SQLite file, its tracking key.

    Every follower's store starts `projection_`, so `slrs backup` copies it
    before the logs (a restored follower is never ahead of its log), and the
    first stores (tests/fixtures/store-v1) keep their names.
    """
    return f"projection_{follower}"


# Plugins (plugins/, README "Moodle bridge"): followers that act on other contexts, run only where the
# deployment names them in SLRS_PLUGINS (comma-separated), so the LRS works without any. A plugin is
# imported only when a process builds it.
def moodle_bridge(services: Services) -> Processor[Any]:
    """The Moodle bridge: statements from Moodle's logstore_xapi become commands of the training records."""
    from plugins.moodle_bridge.follower import MoodleBridgeProcessor

    return MoodleBridgeProcessor(services.records, services.lrs, services.storage.dialect)


PLUGINS: dict[str, Callable[[Services], Processor[Any]]] = {
    "moodle_bridge": moodle_bridge,
}


def enabled_plugins(environ: Mapping[str, str]) -> list[str]:
    """The plugins SLRS_PLUGINS names (commas or spaces between). Raises ConfigurationError for an unknown one."""
    named = [n for n in environ.get("SLRS_PLUGINS", "").replace(",", " ").split() if n]
    unknown = sorted(set(named) - set(PLUGINS))
    if unknown:
        raise ConfigurationError(f"SLRS_PLUGINS names {unknown}; the plugins are {sorted(PLUGINS)}")
    return named
