"""`MoodleLinks`: the clerks' side of the bridge: make and remove links, read what became of each statement.

Methods take an `Actor` and plain values and return frozen dataclasses, as
`TrainingRecords` does, and raise its errors (domain/errors.py), so `api/`
maps them once. Agency-scoped like the records: an agency's credential links
identities to its own workers only and sees only its own workers' aliases and
statements; courses and sessions are the partnership's, so only it links
activities to them. Links are appended, never updated (plugins/moodle_bridge/tables.py);
the bridge's follower applies what they unblock.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.application import TrainingRecords
from domain.errors import ConcurrentChangeError, InvalidCommandError, RecordNotFoundError, RuleViolationError
from kernel.tracking import TrackingStore
from lrs.service import LearningRecordStore
from plugins.moodle_bridge.links import ACTIVITY, CHOICE, IDENTITY, SESSION, Link, LinkSet, link_id, read_links
from plugins.moodle_bridge.statements import ANONYMOUS_ACCOUNT
from plugins.moodle_bridge.tables import PENDING, STATUSES, Outcome

IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
MAX_IRI = 2000
RETRIES = 5


@dataclass(frozen=True)
class LinkDetails:
    """A standing link: `kind` identity (to a worker), activity (to a course), session, or choice (a statement's).

    `key` is an identity's LRS pseudonym, an activity's IRI or a statement's digest; an alias's
    `identity` is read unsealed (an erased person's reads as `urn:slrs:erased`).
    """

    id: str
    kind: str
    key: str
    target: str
    identity: dict[str, Any] | None
    made_by: str
    made_at: str


@dataclass(frozen=True)
class StatementOutcome:
    """What the bridge did with one Moodle statement: applied, none, pending, refused, voided or reverted, and why.

    `identity` (the actor, unsealed) is shown while the statement is pending, so a
    clerk can link it; `command` is what the records were given.
    """

    statement_id: str
    event: str
    status: str
    reason: str
    waiting_on: str | None
    occurred: str | None
    worker: str | None
    command: dict[str, Any] | None
    identity: dict[str, Any] | None


class MoodleLinks:
    """Links and outcomes of the Moodle bridge, in its tracking store; the records check workers, courses, sessions."""

    def __init__(self, store: TrackingStore, records: TrainingRecords, lrs: LearningRecordStore) -> None:
        self.store, self.records, self.lrs = store, records, lrs

    def _links(self) -> LinkSet:
        return read_links(self.store.fetch)

    def _append(self, actor: Actor, link: Link, active: bool) -> None:
        """Append one change; `seq` orders the changes (two clerks at once: the loser takes the next)."""
        sealed = json.dumps(link.sealed, separators=(",", ":")) if link.sealed is not None else None
        values = (link.id, link.kind, link.key, link.target, 1 if active else 0, actor.credential, actor.agency,
                  self.records.clock.now().isoformat(), sealed)
        for _ in range(RETRIES):
            try:
                with self.store.transaction() as cursor:
                    cursor.execute(self.store.dialect.sql(
                        "INSERT INTO slrs_moodle_links (seq, link, kind, link_key, target, active, made_by, agency, "
                        "made_at, sealed) SELECT COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ? "
                        "FROM slrs_moodle_links"),
                        values)
                return
            except (IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError):
                continue
        raise ConcurrentChangeError("links kept changing while this one was made; make it again")

    def _make(self, actor: Actor, kind: str, key: str, target: str, single: bool,
              sealed: dict[str, Any] | None = None) -> tuple[LinkDetails, bool]:
        standing = self._links().targets(kind, key)
        if target not in standing:
            if single and standing:
                raise RuleViolationError(f"{_named(kind, key)} is linked already; remove that link first")
            self._append(actor, Link(link_id(kind, key, target), kind, key, target, "", None, "", sealed), True)
        found = self._links().find(link_id(kind, key, target))
        assert found is not None
        return self._details([found])[0], target not in standing

    def _details(self, links: list[Link]) -> list[LinkDetails]:
        """Links as shown: an alias with its identity unsealed (an erased person's reads as erased)."""
        identities = self.lrs.unseal_statements([{"actor": link.sealed} if link.sealed else {} for link in links])
        return [LinkDetails(link.id, link.kind, link.key, link.target,
                            _identity(identity) if link.sealed else None, link.made_by, link.made_at)
                for link, identity in zip(links, identities, strict=True)]

    def link_identity(self, actor: Actor, agent: Mapping[str, Any], worker: str) -> tuple[LinkDetails, bool]:
        """Link an xAPI identity (one of account, mbox, mbox_sha1sum, openid) to a worker the actor may see.

        Raises InvalidCommandError for a malformed or anonymous identity, RecordNotFoundError
        for another agency's worker, RuleViolationError if the identity is linked to another worker.
        """
        self.records.get_worker(actor, worker)
        sealed = self.lrs.seal_agent(identity_of(agent))
        return self._make(actor, IDENTITY, str(sealed["@person"]), worker, single=True, sealed=sealed)

    def link_activity(self, actor: Actor, activity: str, course: str) -> tuple[LinkDetails, bool]:
        """Link a Moodle course or activity IRI to a course (the partnership only). Its statements count for it."""
        actor.require_partnership("link Moodle activities to courses")
        self.records.get_course(course)
        return self._make(actor, ACTIVITY, check_iri(activity), course, single=True)

    def link_session(self, actor: Actor, activity: str, session: str) -> tuple[LinkDetails, bool]:
        """Link a face-to-face activity IRI to one of its dated sessions (the partnership only; several may be)."""
        actor.require_partnership("link Moodle face-to-face activities to sessions")
        self.records.get_session(actor, session)
        return self._make(actor, SESSION, check_iri(activity), session, single=False)

    def choose_session(self, actor: Actor, statement_id: str, session: str) -> tuple[LinkDetails, bool]:
        """Say which session a pending face-to-face statement is about, of those its activity is linked to."""
        actor.require_partnership("choose sessions for Moodle statements")
        outcome = self._outcome(statement_id)
        if outcome is None:
            raise RecordNotFoundError(f"the Moodle bridge has taken no statement {statement_id}")
        if outcome.status != PENDING or outcome.activity is None:
            raise RuleViolationError(f"statement {statement_id} is {outcome.status}, not pending")
        if session not in self._links().targets(SESSION, outcome.activity):
            raise RuleViolationError(f"session {session} is not linked to {outcome.activity}; link it first")
        return self._make(actor, CHOICE, outcome.digest, session, single=True)

    def remove_link(self, actor: Actor, kind: str, link: str) -> LinkDetails:
        """Remove a standing link of `kind` (an agency: only its own workers' aliases). What it did stays done."""
        found = self._links().find(link)
        if found is None or found.kind != kind or not self._may_see(actor, found):
            raise RecordNotFoundError(f"no link {link}")
        if found.kind != IDENTITY:
            actor.require_partnership("remove links of activities and sessions")
        self._append(actor, found, False)
        return self._details([found])[0]

    def list_links(self, actor: Actor, kind: str | None = None, target: str | None = None) -> list[LinkDetails]:
        """Standing links, oldest first, of one kind (and target) or all; an agency sees its own workers' aliases."""
        return self._details([link for link in self._links().links
                              if kind in (None, link.kind) and target in (None, link.target)
                              and self._may_see(actor, link)])

    def _may_see(self, actor: Actor, link: Link) -> bool:
        return link.kind != IDENTITY or self._own_worker(actor, link.target)

    def _own_worker(self, actor: Actor, worker: str) -> bool:
        if actor.is_partnership:
            return True
        try:
            self.records.get_worker(actor, worker)
        except RecordNotFoundError:
            return False
        return True

    def _outcome(self, statement_id: str) -> Outcome | None:
        rows = self.store.fetch("SELECT s.* FROM slrs_moodle_statements s JOIN slrs_moodle_copies c "
                                "ON c.digest = s.digest WHERE c.statement_id = ?", [_uuid(statement_id)])
        return Outcome.of(rows[0]) if rows else None

    def get_statement(self, actor: Actor, statement_id: str) -> StatementOutcome:
        """What became of one statement (any of its copies' ids). RecordNotFoundError if unknown or not the actor's."""
        outcome = self._outcome(statement_id)
        if outcome is None or not self._may_see_outcome(actor, outcome):
            raise RecordNotFoundError(f"the Moodle bridge has taken no statement {statement_id}")
        return self._shown([outcome])[0]

    def list_statements(self, actor: Actor, status: str = PENDING, limit: int = 500) -> list[StatementOutcome]:
        """Statements of one status, oldest first (pending: with what each waits on, and why)."""
        if status not in STATUSES:
            raise InvalidCommandError(f"status must be one of {list(STATUSES)}, not {status!r}")
        rows = self.store.fetch("SELECT * FROM slrs_moodle_statements WHERE status = ? ORDER BY seq LIMIT ?",
                                [status, limit])
        return self._shown([o for o in map(Outcome.of, rows) if self._may_see_outcome(actor, o)])

    def _may_see_outcome(self, actor: Actor, outcome: Outcome) -> bool:
        return actor.is_partnership or (outcome.worker is not None and self._own_worker(actor, outcome.worker))

    def _shown(self, outcomes: list[Outcome]) -> list[StatementOutcome]:
        documents = self.lrs.unseal_statements([o.document or {} for o in outcomes])
        return [StatementOutcome(o.statement_id, o.event, o.status, o.reason, o.waiting_on, o.occurred, o.worker,
                                 o.command, _identity(d) if o.document else None)
                for o, d in zip(outcomes, documents, strict=True)]


def _named(kind: str, key: str) -> str:
    return {IDENTITY: "this identity", CHOICE: "this statement"}.get(kind, key)


def _identity(statement: Mapping[str, Any]) -> dict[str, Any] | None:
    """The identifying values of a statement's actor (and its name), unsealed."""
    actor = statement.get("actor") or {}
    return {k: actor[k] for k in ("mbox", "mbox_sha1sum", "openid", "account", "name") if k in actor} or None


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise RecordNotFoundError(f"no statement {value}") from None


def check_iri(value: str) -> str:
    """An absolute IRI (a scheme, then no spaces), at most 2,000 characters. Raises InvalidCommandError."""
    if not isinstance(value, str) or len(value) > MAX_IRI or not IRI.match(value):
        raise InvalidCommandError(f"{value!r} is not an absolute IRI")
    return value


def identity_of(agent: Mapping[str, Any]) -> dict[str, Any]:
    """The one identifier of an xAPI agent (xAPI 1.0.3 Data 2.4.2.3), alone: `{"mbox": ...}`, `{"account": ...}`.

    Raises InvalidCommandError for none, several, a malformed one, or Moodle's `anonymous` account.
    """
    given = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if agent.get(k) is not None]
    if len(given) != 1:
        raise InvalidCommandError("give exactly one of mbox, mbox_sha1sum, openid, account")
    value = agent[given[0]]
    if given[0] == "account":
        if not isinstance(value, Mapping) or not isinstance(value.get("name"), str) or not value["name"]:
            raise InvalidCommandError("an account needs a homePage IRI and a name")
        check_iri(value.get("homePage", ""))
        if value["name"] == ANONYMOUS_ACCOUNT:
            raise InvalidCommandError("Moodle's anonymous account is nobody: it is never linked to a worker")
    elif given[0] == "mbox" and (not isinstance(value, str) or not value.startswith("mailto:") or "@" not in value):
        raise InvalidCommandError("mbox must be a mailto: IRI")
    elif given[0] == "mbox_sha1sum" and (not isinstance(value, str) or not SHA1.match(value)):
        raise InvalidCommandError("mbox_sha1sum must be 40 hexadecimal digits")
    elif given[0] == "openid":
        check_iri(value)
    if given[0] == "account":
        value = {"homePage": value["homePage"], "name": value["name"]}
    return {given[0]: value}
