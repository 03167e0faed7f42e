"""One page's work: each statement of the log to an outcome, pending ones tried again, voided ones reverted.

A statement's content (its digest) is taken once: a copy (a Moodle resend, a
replay) only adds its id to the copies. Statements of one actor about one
activity apply in log order: while an earlier one is pending, a later one
waits too (a cancellation never overtakes the sign-up it cancels).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from plugins.moodle_bridge.commands import Ignored, Translation
from plugins.moodle_bridge.execute import Executor
from plugins.moodle_bridge.links import IDENTITY, LinkSet
from plugins.moodle_bridge.mapping import translate
from plugins.moodle_bridge.resolve import Target, Waiting, resolve
from plugins.moodle_bridge.revert import revert
from plugins.moodle_bridge.statements import content_digest, event_name, is_from_moodle, occurred_at
from plugins.moodle_bridge.tables import APPLIED, NONE, PENDING, VOIDED, Outcome, Rows

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
EARLIER = "earlier"
Unseal = Callable[[Sequence[Mapping[str, Any]]], list[dict[str, Any]]]


def primary_activity(translation: Translation) -> str | None:
    """The activity a command is about, which orders an actor's statements (None when ignored)."""
    if isinstance(translation, Ignored):
        return None
    activities = getattr(translation, "activities", None)
    return activities[0] if activities else getattr(translation, "activity", None)


class Bridge:
    """Takes statements (sealed as the log holds them, and unsealed) with one snapshot of the links."""

    def __init__(self, rows: Rows, links: LinkSet, executor: Executor, unseal: Unseal) -> None:
        self.rows, self.links, self.executor, self.unseal = rows, links, executor, unseal
        self.unblocked = False  # a pending statement left pending other than by a link: retry the rest
        self.seq: int | None = None  # the order given to the last content taken

    def take(self, sealed: Mapping[str, Any], statement: Mapping[str, Any]) -> None:
        """Take one statement of the log (voiding statements of any origin, others only from Moodle)."""
        if _voids(statement):
            self.void(statement)
            return
        if not is_from_moodle(statement):
            return
        digest = content_digest(statement)
        self.rows.add_copy(str(statement["id"]), digest)
        if self.rows.outcome(digest) is not None:
            return
        outcome = Outcome(digest, str(statement["id"]), self._next_seq(), event_name(statement) or "", NONE, "")
        voided_by = self.rows.voided_by(outcome.statement_id)
        if voided_by is not None:
            outcome.status, outcome.reason = VOIDED, f"voided by statement {voided_by} before the bridge read it"
            self.rows.save(outcome)
            return
        self.attempt(outcome, read(statement, outcome), sealed)

    def _when(self, statement: Mapping[str, Any]) -> datetime:
        """When a statement happened, or now if its timestamp cannot be read (see `read`)."""
        try:
            return occurred_at(statement)
        except (ValueError, TypeError, KeyError, OverflowError):
            return self.executor.records.clock.now()

    def _next_seq(self) -> int:
        if self.seq is None:
            self.seq = self.rows.next_seq()
        else:
            self.seq += 1
        return self.seq

    def attempt(self, outcome: Outcome, translation: Translation, sealed: Mapping[str, Any]) -> None:
        """Resolve and give the command, or keep the statement pending with why; save the outcome."""
        outcome.waiting_on, outcome.document = None, None
        if isinstance(translation, Ignored):
            outcome.status, outcome.reason = NONE, translation.reason
            self.rows.save(outcome)
            return
        outcome.actor = (sealed.get("actor") or {}).get("@person")
        outcome.activity = primary_activity(translation)
        found: Target | Waiting
        if (outcome.actor is not None and outcome.activity is not None
                and self.rows.earlier_pending(outcome.actor, outcome.activity, outcome.seq)):
            found = Waiting(EARLIER, "an earlier statement of this actor about this activity is pending")
        else:
            found = resolve(translation, self.links, outcome.digest, self.executor.booked_on, outcome.actor)
        if isinstance(found, Waiting):
            outcome.status, outcome.reason, outcome.waiting_on = PENDING, found.reason, found.on
            outcome.document = dict(sealed)
            identified = getattr(translation, "identity", None) is not None and outcome.actor is not None
            outcome.worker = self.links.one(IDENTITY, str(outcome.actor)) if identified else None
            self.rows.save(outcome)
            return
        done = self.executor.run(translation, found, outcome.digest)
        outcome.status, outcome.reason, outcome.command = done.status, done.reason, done.command
        outcome.worker, outcome.session, outcome.booking, outcome.source = (found.worker, done.session, done.booking,
                                                                            done.source)
        self.rows.save(outcome)

    def retry_pending(self) -> int:
        """Try every pending statement again, oldest first; how many are no longer pending."""
        pending = self.rows.pending()
        statements = self.unseal([p.document or {} for p in pending])
        resolved = 0
        for outcome, statement in zip(pending, statements, strict=True):
            self.attempt(outcome, read(statement, outcome), outcome.document or {})
            resolved += outcome.status != PENDING
        return resolved

    def void(self, voiding: Mapping[str, Any]) -> None:
        """A voiding statement: revert what its target did, or mark the target to be skipped when it arrives."""
        target, voiding_id = str(voiding["object"]["id"]).lower(), str(voiding["id"])
        self.rows.add_voided(target, voiding_id)
        digest = self.rows.digest_of(target)
        outcome = self.rows.outcome(digest) if digest is not None else None
        if outcome is None:
            return
        if outcome.status == PENDING:
            outcome.status, outcome.reason = VOIDED, f"voided by statement {voiding_id} while pending"
            outcome.document, outcome.waiting_on = None, None
            self.unblocked = True
        elif outcome.status == APPLIED:
            outcome.status, outcome.reason = revert(self.executor, outcome, self._when(voiding), voiding_id)
        else:
            return
        self.rows.save(outcome)


def read(statement: Mapping[str, Any], outcome: Outcome) -> Translation:
    """The statement's command, and when it happened on the outcome; Ignored if the bridge cannot read it.

    The LRS has validated it, but xAPI allows timestamps and values this reading
    may not parse; one such statement must not stop the bridge for every other.
    """
    try:
        outcome.occurred = occurred_at(statement).isoformat()
        return translate(statement)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
        return Ignored(f"the bridge could not read this statement: {type(error).__name__}: {error}")


def _voids(statement: Mapping[str, Any]) -> bool:
    obj = statement.get("object") or {}
    return statement["verb"]["id"] == VOIDED_VERB and obj.get("objectType") == "StatementRef"
