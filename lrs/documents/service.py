"""`DocumentStore`: the State, Activity Profile and Agent Profile resources over the LRS's event store.

Communication 2.2 to 2.7 and 3.1. A request's parameters are validated by the
caller (agent, activityId, registration, since); this module holds the rules
of the documents themselves: preconditions, the POST merge, sealing, history.
"""

from __future__ import annotations

import base64
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError, Mapper, StoredEvent

from kernel.clock import Clock
from kernel.keys import Identifier, Person, PersonKeys, Pseudonym, Sealing
from lrs.documents.index import DocumentIndexReader, DocumentRow
from lrs.documents.model import ACTIVITY_PROFILE, AGENT_PROFILE, STATE, Document, DocumentKey, DocumentScope, \
    document_aggregate_id
from lrs.documents.preconditions import Preconditions, etag_of
from lrs.documents.rebuild import DocumentIndexRebuild
from lrs.errors import BadRequestError, ConflictError, NotFoundError
from lrs.json_input import parse_json
from lrs.personal import Sealer, identifier_of
from lrs.timestamps import now_stored
from lrs.transcoding import dumps
from lrs.versions import XAPI_1, guards_state_put

WRITTEN: Any = Document.Written  # type: ignore[attr-defined]  # made by the event decorator
DELETED: Any = Document.Deleted  # type: ignore[attr-defined]
JSON_TYPE = "application/json"
DEFAULT_CONTENT_TYPE = "application/octet-stream"
# A write that meets a concurrent one (the same version taken first) waits a moment, reads again and judges
# again: up to ATTEMPTS times, each wait a random part of a growing span (up to MAX_BACKOFF seconds).
ATTEMPTS = 25
MAX_BACKOFF = 0.05


@dataclass(frozen=True)
class StoredDocument:
    """A document's content as sent (bytes), its Content-Type, when it was last written (index form) and its ETag."""

    content: bytes
    content_type: str
    updated: str

    @property
    def etag(self) -> str:
        return etag_of(self.content)


@dataclass(frozen=True)
class DocumentIds:
    """The ids of a context's documents, and when the most recently updated of them was updated (None if none)."""

    ids: list[str]
    last_updated: str | None


@dataclass(frozen=True)
class DocumentVersion:
    """One event of a document's history: its version, when, and the content it left (None once deleted)."""

    version: int
    updated: str
    document: StoredDocument | None


@dataclass(frozen=True)
class _Target:
    """Where a document lives: its aggregate id and, for an agent's document, its person (and key, to write)."""

    aggregate_id: uuid.UUID
    person: Pseudonym | None
    key: bytes | None = None


def _back_off(attempt: int) -> None:
    """Sleep a random while, longer after each lost race, so racing writers do not meet again in step."""
    time.sleep(random.uniform(0, min(MAX_BACKOFF, 0.002 * 2**attempt)))  # noqa: S311  (not a secret)


def is_json(content_type: str) -> bool:
    """Whether a Content-Type is application/json (parameters such as charset aside)."""
    return content_type.split(";", 1)[0].strip().lower() == JSON_TYPE


def _json_object(content: bytes, what: str) -> dict[str, Any]:
    """Communication 2.2: a document a POST merges must be a JSON object; BadRequestError naming `what` if not."""
    value = parse_json(content, what)
    if not isinstance(value, dict):
        raise BadRequestError(f"{what} must be a JSON object to be merged (Communication 2.2), "
                              f"not a JSON {type(value).__name__}")
    return value


class DocumentStore:
    """The three document resources, each document an aggregate in the LRS's event store.

    Built by the `LearningRecordStore` from its recorder (whose `insert_events`
    takes `document_rows`, written in the events' transaction), mapper, person
    keys, sealer and clock. Agents are given as validated JSON objects with an
    inverse functional identifier; an agent's documents (State, Agent Profile)
    are sealed with that person's key, so erasing the person erases them.
    """

    def __init__(self, recorder: Any, mapper: Mapper[uuid.UUID], persons: PersonKeys, sealer: Sealer,
                 clock: Clock, index: DocumentIndexReader) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.persons = persons
        self.sealer = sealer
        self.sealing = Sealing()
        self.clock = clock
        self.index = index

    # Reads

    def get_document(self, key: DocumentKey) -> StoredDocument:
        """The document as last written; NotFoundError if it was never written, or was deleted since."""
        target = self._find(key.scope, key.document_id)
        found = self._latest(target)[1] if target else None
        if found is None:
            raise NotFoundError(f"no document with {self._describe(key)} is stored")
        return found

    def list_document_ids(self, scope: DocumentScope, since: str | None = None) -> DocumentIds:
        """The ids of the scope's live documents (updated after `since`, index form, if given); oldest first.

        Communication 2.3, 2.6, 2.7 "Multiple Document GET". A State scope
        without registration covers every registration.
        """
        person = self._pseudonym(scope.agent) if scope.agent is not None else None
        if scope.agent is not None and person is None:
            return DocumentIds([], None)
        listed = self.index.list_documents(scope.kind, scope.activity_id, person, scope.registration, since)
        ids = list(dict.fromkeys(d.document_id for d in listed))
        return DocumentIds(ids, max((d.updated for d in listed), default=None))

    def list_document_versions(self, key: DocumentKey) -> list[DocumentVersion]:
        """Every write and deletion of the document, oldest first: what it held at any time (for auditors).

        Empty if the document was never written. An erased person's documents read as never written.
        """
        target = self._find(key.scope, key.document_id)
        if target is None:
            return []
        versions = []
        for stored in self.recorder.select_events(target.aggregate_id):
            event = self.mapper.to_domain_event(stored)
            if isinstance(event, WRITTEN | DELETED):
                versions.append(DocumentVersion(event.originator_version, event.updated,
                                                self._content(target, event)))
        return versions

    # Writes

    def put_document(self, key: DocumentKey, content: bytes, content_type: str | None,
                     conditions: Preconditions = Preconditions(), xapi_version: str = XAPI_1) -> None:
        """Store `content` byte for byte as the document, replacing what it held.

        Communication 3.1: for an Activity or Agent Profile a PUT must carry
        If-Match or If-None-Match: without either, ConflictError (409) if the
        document exists, BadRequestError if it does not. A PUT of an xAPI 2.0
        request (`xapi_version`) to the State without either is a ConflictError
        if the document exists (`lrs.versions.guards_state_put`). PreconditionFailedError
        (412) when a header does not hold. Nothing changes on any error.
        """
        def write(target: _Target, version: int, current: StoredDocument | None) -> list[_Pending]:
            if key.scope.kind == STATE and current is not None and not conditions.given \
                    and guards_state_put(xapi_version):
                raise ConflictError(
                    f"a State document with {self._describe(key)} already exists: xAPI 2.0 replaces it only with "
                    "If-Match set to its ETag (GET it first), Communication 3.1")
            if key.scope.kind in (ACTIVITY_PROFILE, AGENT_PROFILE) and not conditions.given:
                if current is not None:
                    raise ConflictError(
                        f"a document with {self._describe(key)} already exists: check its current state with a "
                        "GET, then PUT again with If-Match set to its ETag (Communication 3.1)")
                raise BadRequestError("a PUT to a profile resource must carry If-Match (with the ETag of the "
                                      "document it replaces) or If-None-Match: * (for a new document), "
                                      "Communication 3.1")
            conditions.check(current.etag if current else None)
            return self._written(key, target, version, content, content_type or DEFAULT_CONTENT_TYPE)

        self._change(key, write)

    def post_document(self, key: DocumentKey, content: bytes, content_type: str | None,
                      conditions: Preconditions = Preconditions()) -> None:
        """Store a new document as PUT would, or merge JSON objects into an existing one (Communication 2.2).

        The merge sets each top-level property posted and keeps the others; both
        documents must be application/json and JSON objects, else
        BadRequestError (400). A body sent as application/json must be a JSON
        object even for a new document. PreconditionFailedError (412) when
        If-Match or If-None-Match does not hold. Nothing changes on any error.
        """
        content_type = content_type or DEFAULT_CONTENT_TYPE
        posted = _json_object(content, "the posted document") if is_json(content_type) else None

        def write(target: _Target, version: int, current: StoredDocument | None) -> list[_Pending]:
            conditions.check(current.etag if current else None)
            if current is None:
                return self._written(key, target, version, content, content_type)
            if posted is None or not is_json(current.content_type):
                raise BadRequestError(
                    f"a POST merges JSON objects: the stored document is {current.content_type} and the posted one "
                    f"{content_type}; both must be application/json (Communication 2.2), or PUT to replace it")
            merged = {**_json_object(current.content, "the stored document"), **posted}
            return self._written(key, target, version, dumps(merged), JSON_TYPE)

        self._change(key, write)

    def delete_document(self, key: DocumentKey, conditions: Preconditions = Preconditions()) -> None:
        """Delete the document (an event: its history stays); nothing to do if none is stored.

        PreconditionFailedError (412) when If-Match or If-None-Match does not hold.
        """
        def delete(target: _Target, version: int, current: StoredDocument | None) -> list[_Pending]:
            conditions.check(current.etag if current else None)
            return self._deleted(key, target, version) if current is not None else []

        self._change(key, delete)

    def delete_documents(self, scope: DocumentScope) -> int:
        """Communication 2.3 "Multiple Document DELETE": delete every live document of the scope; how many.

        One transaction: all of them, or (if a concurrent write meets it) none, and it tries again.
        """
        for attempt in range(ATTEMPTS):
            person = self._pseudonym(scope.agent) if scope.agent is not None else None
            if scope.agent is not None and person is None:
                return 0
            listed = self.index.list_documents(scope.kind, scope.activity_id, person, scope.registration)
            events: list[_Pending] = []
            for document in listed:
                target = _Target(uuid.UUID(document.aggregate_id), person)
                version, _current = self._latest(target, decode=False)
                events.extend(self._deleted(scope.key(document.document_id), target, version))
            try:
                self._insert(events)
                return len(listed)
            except IntegrityError:
                _back_off(attempt)
        raise ConflictError("the documents kept changing while they were being deleted; try again")

    def rebuild_index(self, page_size: int = 5000) -> int:
        """Replace the document index with what the documents' events say (`lrs.documents.rebuild`); how many."""
        return DocumentIndexRebuild(self.recorder, self.mapper, self.index.datastore, self.index.dialect).run(page_size)

    # Helpers

    def _change(self, key: DocumentKey, make: Callable[[_Target, int, StoredDocument | None], list[_Pending]]) -> None:
        """Read the document, make the events of the change from it, insert them; again if another write won."""
        for attempt in range(ATTEMPTS):
            target = self._ensure(key.scope, key.document_id)
            version, current = self._latest(target)
            events = make(target, version, current)
            try:
                self._insert(events)
                return
            except IntegrityError:  # a concurrent write took this version: read it and judge again
                _back_off(attempt)
        raise ConflictError(f"the document with {self._describe(key)} kept changing while it was being written; "
                            "try again")

    def _insert(self, events: Sequence[_Pending]) -> None:
        if not events:
            return
        rows = {pending.originator_id: pending.row for pending in events}  # the last row of each document
        stored = [self.mapper.to_stored_event(pending.event) for pending in events]
        self.recorder.insert_events(stored, document_rows=list(rows.values()))

    def _written(self, key: DocumentKey, target: _Target, version: int, content: bytes,
                 content_type: str) -> list[_Pending]:
        updated = now_stored(self.clock)
        sealed = self._seal_content(target, content)
        events: list[DomainEventProtocol[uuid.UUID]]
        if version == 0:
            document = self._new(key, target)
            document.write(content_type=content_type, content=sealed, updated=updated)
            events = list(document.collect_events())
        else:
            events = [WRITTEN(originator_id=target.aggregate_id, originator_version=version + 1,
                              timestamp=WRITTEN.create_timestamp(), content_type=content_type, content=sealed,
                              updated=updated)]
        row = self._row(key, target, updated, deleted=False)
        return [_Pending(e, row) for e in events]

    def _deleted(self, key: DocumentKey, target: _Target, version: int) -> list[_Pending]:
        updated = now_stored(self.clock)
        event = DELETED(originator_id=target.aggregate_id, originator_version=version + 1,
                        timestamp=DELETED.create_timestamp(), updated=updated)
        return [_Pending(event, self._row(key, target, updated, deleted=True))]

    def _new(self, key: DocumentKey, target: _Target) -> Document:
        scope = key.scope
        agent = None
        if scope.agent is not None:
            identifier = self._identifier(scope.agent)
            agent = self.sealer.seal({"actor": dict(scope.agent)},
                                     self.persons.ensure_persons([identifier]))["actor"]
        return Document(id=target.aggregate_id, kind=scope.kind, activity_id=scope.activity_id, agent=agent,
                        registration=scope.registration, document_id=key.document_id)

    @staticmethod
    def _row(key: DocumentKey, target: _Target, updated: str, deleted: bool) -> DocumentRow:
        scope = key.scope
        return DocumentRow(str(target.aggregate_id), scope.kind, scope.activity_id, target.person,
                           scope.registration, key.document_id, updated, deleted)

    def _latest(self, target: _Target, decode: bool = True) -> tuple[int, StoredDocument | None]:
        """The document's version (0 if it has no events) and, if `decode`, its content now (None if none)."""
        found: Sequence[StoredEvent] = self.recorder.select_events(target.aggregate_id, desc=True, limit=1)
        if not found:
            return 0, None
        version = found[0].originator_version
        if not decode:
            return version, None
        event = self.mapper.to_domain_event(found[0])
        return version, self._content(target, event) if isinstance(event, WRITTEN) else None

    def _content(self, target: _Target, event: Any) -> StoredDocument | None:
        if not isinstance(event, WRITTEN):
            return None
        if target.person is None:
            content = base64.b64decode(event.content)
        else:
            keys = self.persons.find_keys([target.person])
            if target.person not in keys:
                return None  # the person was erased: the content went with the key
            content = self.sealing.unseal(target.person, keys[target.person], event.content)
        return StoredDocument(content, event.content_type, event.updated)

    def _seal_content(self, target: _Target, content: bytes) -> str:
        if target.person is None:
            return base64.b64encode(content).decode()
        assert target.key is not None, "a document is written to a target made by _ensure, which holds the key"
        return self.sealing.seal(Person(target.person, target.key), content)

    @staticmethod
    def _identifier(agent: dict[str, Any]) -> Identifier:
        identifier = identifier_of(agent)
        if identifier is None:
            raise BadRequestError("the agent needs an mbox, mbox_sha1sum, openid or account")
        return identifier

    def _pseudonym(self, agent: dict[str, Any]) -> Pseudonym | None:
        return self.persons.find_pseudonym(self._identifier(agent))

    def _find(self, scope: DocumentScope, document_id: str) -> _Target | None:
        """Where the document would live, or None if its agent was never seen (so it holds nothing)."""
        person = None
        if scope.agent is not None:
            person = self._pseudonym(scope.agent)
            if person is None:
                return None
        return self._at(scope, document_id, person)

    def _ensure(self, scope: DocumentScope, document_id: str) -> _Target:
        """Where the document lives, its agent's person made if never seen."""
        if scope.agent is None:
            return self._at(scope, document_id, None)
        identifier = self._identifier(scope.agent)
        person = self.persons.ensure_persons([identifier])[identifier]
        return replace(self._at(scope, document_id, person.pseudonym), key=person.key)

    @staticmethod
    def _at(scope: DocumentScope, document_id: str, person: Pseudonym | None) -> _Target:
        aggregate_id = document_aggregate_id(scope.kind, scope.activity_id, person, scope.registration, document_id)
        return _Target(aggregate_id, person)

    @staticmethod
    def _describe(key: DocumentKey) -> str:
        scope = key.scope
        parts = [f"{'stateId' if scope.kind == 'state' else 'profileId'} {key.document_id!r}"]
        if scope.activity_id is not None:
            parts.append(f"activityId {scope.activity_id!r}")
        if scope.agent is not None:
            parts.append("that agent")
        if scope.registration is not None:
            parts.append(f"registration {scope.registration}")
        return ", ".join(parts)


@dataclass(frozen=True)
class _Pending:
    """An event to insert and the index row it leaves."""

    event: Any
    row: DocumentRow

    @property
    def originator_id(self) -> uuid.UUID:
        return self.event.originator_id  # type: ignore[no-any-return]
