"""The `LearningRecordStore` application: store, get and query xAPI statements."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.utils import get_topic

from kernel.clock import Clock, SystemClock
from kernel.keys import Pseudonym, SQLPersonKeys
from kernel.persistence import ConfigurationError, Storage
from kernel.sql import dialect_of
from lrs.activities import activity_ids_in, activity_object
from lrs.agents import check_agent_parameter, person_object
from lrs.attachments import AttachmentPart, attachment_id, check_parts, declared_hashes, new_attachments
from lrs.documents.index import DocumentIndexReader
from lrs.documents.service import DocumentStore
from lrs.equivalence import same_statement
from lrs.errors import BadRequestError, BatchTooLargeError, ConflictError, NotFoundError
from lrs.formats import render
from lrs.index.canonical import CanonicalReader
from lrs.index.entries import IndexEntry, index_entry
from lrs.index.reader import IndexedStatement, StatementIndexReader
from lrs.index.rebuild import IndexRebuild, IndexStatus, index_status
from lrs.index.recorders import RECORDER_TOPICS, PostgresStatementRecorder, SQLiteStatementRecorder, StatementRecorder
from lrs.index.schema import PERSON_TABLE
from lrs.personal import PERSON, SEALED, Sealer, identifier_of, identifiers_in, pseudonyms_in
from lrs.query import StatementQuery
from lrs.settings import Settings
from lrs.signatures import check_signatures
from lrs.statement import Statement
from lrs.transcoding import FastJSONTranscoder, loads
from lrs.validation import validate_statements
from lrs.versions import XAPI_1, XAPI_2, for_reader

DEFAULT_VERSION = "1.0.0"  # xAPI 1.0.3 Data 2.4.10: a statement without version is 1.0.0
# xAPI 2.0 Data 2.4.10: a statement a 2.0 client sends without version is a 2.0.0 statement
DEFAULT_VERSIONS = {XAPI_1: DEFAULT_VERSION, XAPI_2: XAPI_2}
MAX_PAGE = 500
# Statements in one request: Moodle's logstore_xapi sends 30 events a batch by default (a quiz
# event gives a statement per question), so thousands leave room; SLRS_MAX_BATCH changes it.
DEFAULT_MAX_BATCH = 10_000
STORED_EVENT: type = Statement.Stored  # type: ignore[attr-defined]  # made by the event decorator
STORED_TOPIC = get_topic(STORED_EVENT)
STORED_PLACEHOLDER = "~stored~{}~"  # with 18 random hex digits, as long as a stored value


def normalise(statement: Mapping[str, Any]) -> dict[str, Any]:
    """Data 2.4.6.2: context activities are always returned as arrays."""
    out = dict(statement)
    context = out.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        activities = {k: v if isinstance(v, list) else [v] for k, v in context["contextActivities"].items()}
        out["context"] = {**context, "contextActivities": activities}
    obj = out.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        out["object"] = normalise(obj)
    return out


@dataclass(frozen=True)
class StatementPage:
    """One page of a statements query and the token of the next, if any."""

    statements: list[dict[str, Any]]
    more: StatementQuery | None


def max_batch(env: Mapping[str, str]) -> int:
    """SLRS_MAX_BATCH, the most statements one request may hold; raises ConfigurationError unless a positive integer."""
    value = env.get("SLRS_MAX_BATCH", str(DEFAULT_MAX_BATCH))
    if not value.isdigit() or int(value) < 1:
        raise ConfigurationError(f"SLRS_MAX_BATCH must be a positive whole number of statements, not {value!r}")
    return int(value)


def library_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The library environment of the statement log, from a deployment's variables (os.environ if None).

    PERSISTENCE_MODULE, SLRS_DATA_DIR, POSTGRES_* and CREATE_TABLE are read as
    `kernel.persistence.Storage` reads them; the file is `lrs.sqlite` (or the
    SQLITE_DBNAME given, if it names `lrs`), the recorder the statement recorder
    of the engine. Raises ConfigurationError for an unknown PERSISTENCE_MODULE.
    """
    return Storage.from_env(env).app_env("lrs", recorder_topics=RECORDER_TOPICS)


class LearningRecordStore(Application[uuid.UUID]):
    """Statements as immutable events, indexed in the same transaction.

    Built from a deployment's environment (`library_env`, and SLRS_MAX_BATCH)
    and a clock by which `stored` is given (the system's if None). Raises
    ConfigurationError on the in-memory engine (the index is SQL) or for a bad
    SLRS_MAX_BATCH, and ValueError if the library's CIPHER or COMPRESSOR is set.
    """

    name = "LearningRecordStore"
    # The notifications `decode_statement` reads; the log also holds attachments.
    statement_topics = frozenset({STORED_TOPIC})
    recorder: StatementRecorder

    def __init__(self, env: Mapping[str, str] | None = None, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or SystemClock()
        self.max_batch = max_batch(Storage.from_env(env).environ)
        super().__init__(library_env(env))
        datastore = self.recorder.datastore
        self.dialect = dialect_of(datastore)
        self.index = StatementIndexReader(datastore, self.dialect, self.recorder.events_table_name)
        self.persons = SQLPersonKeys(datastore, self.dialect, PERSON_TABLE)
        self.sealer = Sealer()
        self.settings = Settings(datastore, self.dialect)
        # The document resources (Communication 2.3, 2.6, 2.7), in this same event store and person keys.
        self.documents = DocumentStore(self.recorder, self.mapper, self.persons, self.sealer, self.clock,
                                       DocumentIndexReader(datastore, self.dialect))
        if self.mapper.cipher or self.mapper.compressor:
            # stored is stamped into the encoded events; personal data has its own keys instead
            raise ValueError("the LearningRecordStore does not use the library's CIPHER or COMPRESSOR settings")

    def construct_recorder(self) -> StatementRecorder:
        """The library's recorder of RECORDER_TOPICS, given this application's clock."""
        recorder = super().construct_recorder()
        if not isinstance(recorder, SQLiteStatementRecorder | PostgresStatementRecorder):
            raise ConfigurationError(
                "the LearningRecordStore keeps its statement index in SQL: "
                "set PERSISTENCE_MODULE to eventsourcing.sqlite or eventsourcing.postgres"
            )
        recorder.clock = self.clock
        return recorder

    def construct_transcoder(self) -> FastJSONTranscoder:
        transcoder = FastJSONTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def store_statements(self, statements: Sequence[Any], authority: Mapping[str, Any],
                         parts: Sequence[AttachmentPart] = (), version: str = XAPI_1) -> list[str]:
        """Validate the whole batch and its attachments, then store what is new in one transaction; the ids.

        `version` is the xAPI version the request speaks (`lrs.versions`): the
        statements are held to its data model and, without a `version` of their
        own, stored as 1.0.0 (a 1.0.3 request) or 2.0.0 (a 2.0 request) statements.

        Raises BatchTooLargeError beyond `max_batch` statements, StatementValidationError
        or BadRequestError for a bad statement or attachment (InvalidSignatureError, one of
        the former, for a signature that does not hold: Data 2.6), ConflictError for an id
        stored with other content (Data 2.3.1); then nothing of the batch is stored.
        """
        if len(statements) > self.max_batch:
            raise BatchTooLargeError(f"the batch holds {len(statements):,} statements; this LRS takes at most "
                                     f"{self.max_batch:,} in one request: send them in smaller batches")
        validate_statements(list(statements), version)
        check_parts(statements, parts)
        check_signatures(statements, parts)  # Data 2.6: every signed statement's JWS, in every xAPI version
        prepared = [self._complete(s, authority, DEFAULT_VERSIONS[version]) for s in statements]
        ids = [s["id"] for s in prepared]
        if len(set(ids)) != len(ids):
            raise BadRequestError("the batch holds two statements with the same id")
        try:
            self._store_new(prepared, statements, parts)
        except IntegrityError:
            self._store_new(prepared, statements, parts)  # a concurrent writer stored some: compare again
        return ids

    def _store_new(self, prepared: list[dict[str, Any]], received: Sequence[Any],
                   parts: Sequence[AttachmentPart]) -> None:
        new = self._not_yet_stored(prepared, received)
        if new:
            token, encoded, entries = self._encode(new, parts)
            self._insert_stamped(token, encoded, entries)

    def _not_yet_stored(self, prepared: list[dict[str, Any]], received: Sequence[Any]) -> list[dict[str, Any]]:
        """The statements whose ids are new; a stored id must come with the same content (409 otherwise)."""
        existing = self.index.get_many([s["id"] for s in prepared])
        for statement, original in zip(prepared, received, strict=True):
            if statement["id"] in existing:
                self._check_same(original, self._document(existing[statement["id"]]))
        return [s for s in prepared if s["id"] not in existing]

    def _encode(self, new: list[dict[str, Any]], parts: Sequence[AttachmentPart]
                ) -> tuple[str, list[StoredEvent], dict[uuid.UUID, IndexEntry]]:
        """Sealed, encoded events and index entries, with a placeholder where `stored` goes.

        All of this happens before the writers' lock, so under it only the
        stamp, the insert and the commit remain.
        """
        persons = self.persons.ensure_persons(set().union(*(identifiers_in(s) for s in new)))
        token = STORED_PLACEHOLDER.format(os.urandom(9).hex())
        aggregates = []
        for statement in new:
            document = self.sealer.seal(statement, persons)
            document["stored"] = token  # Data 2.4.8
            document.setdefault("timestamp", token)  # Data 2.4.7: when absent, the stored time
            aggregates.append(Statement(id=uuid.UUID(document["id"]), document=document))
        known = [p.sha2 for p in parts if self.recorder.select_events(attachment_id(p.sha2), limit=1)]
        events = [e for a in (*aggregates, *new_attachments(parts, known)) for e in a.collect_events()]
        entries = {a.id: index_entry(a.document) for a in aggregates}
        return token, [self.mapper.to_stored_event(e) for e in events], entries

    def _insert_stamped(self, token: str, encoded: list[StoredEvent], entries: dict[uuid.UUID, IndexEntry]) -> None:
        """Under the writers' lock: give `stored`, insert events and index rows in one transaction."""
        with self.recorder.stored_clock() as stamp:
            stored = stamp()
            stamped = [replace(e, state=e.state.replace(token.encode(), stored.encode())) for e in encoded]
            self.recorder.insert_events(stamped, index_entries={k: replace(v, stored=stored) for k, v in entries.items()})

    def get_attachments(self, statements: Sequence[Mapping[str, Any]]) -> list[AttachmentPart]:
        """The stored content of the attachments these statements declare (fileUrl-only ones have none)."""
        found: list[AttachmentPart] = []
        for sha2 in declared_hashes(statements):
            try:
                found.append(self.repository.get(attachment_id(sha2)).part)  # type: ignore[attr-defined]
            except AggregateNotFoundError:
                continue
        return found

    @staticmethod
    def _complete(statement: Mapping[str, Any], authority: Mapping[str, Any], version: str) -> dict[str, Any]:
        """Set what the LRS sets before the write lock (Data 2.4.1, 2.4.9, 2.4.10); `stored` comes under it."""
        out = normalise(statement)
        out["id"] = str(uuid.UUID(out["id"])) if "id" in out else str(uuid.uuid4())
        out.pop("stored", None)
        out["authority"] = dict(authority)
        out.setdefault("version", version)
        return out

    def _document(self, indexed: IndexedStatement) -> dict[str, Any]:
        return self.decode_statement(indexed.event)

    def decode_statement(self, stored_event: StoredEvent) -> dict[str, Any]:
        """The statement of a `Statement.Stored` event or notification, as stored: personal values sealed.

        The statement log's decoder, for the index and for followers. Statement
        documents are plain JSON, so the current shape is read with plain JSON
        (faster, and blind to the library's `_type_` markers, which a client's
        extension may hold: `{"_type_": "x", "_data_": 1}` is a valid value); an
        event of an earlier shape goes through the mapper, whose upcasters bring
        it up to date. Raises KeyError for an event of another topic
        (`statement_topics` says which to pass).
        """
        state = loads(stored_event.state)
        if state.get("class_version", 1) == getattr(STORED_EVENT, "class_version", 1):
            return state["document"]  # type: ignore[no-any-return]
        return self.mapper.to_domain_event(stored_event).document  # type: ignore[attr-defined,no-any-return]

    def _check_same(self, received: Mapping[str, Any], sealed: dict[str, Any]) -> None:
        """Data 2.3.1 / Communication 2.1.2: same id, different content is a conflict."""
        stored = self._unseal([sealed])[0]
        if not same_statement(stored, received):
            raise ConflictError(
                f"statement {stored['id']} is already stored with different content; "
                "a statement id can be used only once"
            )

    def _unseal(self, sealed: list[dict[str, Any]]) -> list[dict[str, Any]]:
        keys = self.persons.find_keys(set().union(*(pseudonyms_in(s) for s in sealed)) if sealed else ())
        return [self.sealer.unseal(s, keys) for s in sealed]

    def unseal_statements(self, sealed: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Statements as `decode_statement` gives them, with each agent's identity unsealed by its person's key.

        For a follower that acts on who did something (a bridge finding the worker
        behind an actor): one lookup of keys for the whole page. An erased person
        reads as an anonymous `urn:slrs:erased` account, as in every read.
        """
        return self._unseal([dict(s) for s in sealed])

    def get_statement(self, statement_id: str, *, voided: bool = False, fmt: str = "exact",
                      languages: Sequence[str] = (), reader: str = XAPI_2) -> dict[str, Any]:
        """One statement by id; a voided one only when asked for by voidedStatementId (2.1.3).

        As a reader of xAPI version `reader` gets it (`lrs.versions.for_reader`):
        a 1.0.3 reader gets a 2.0 statement downgraded, a 2.0 reader gets it as stored.
        """
        try:
            key = str(uuid.UUID(statement_id))
        except ValueError as error:
            raise BadRequestError(f"{statement_id!r} is not a UUID") from error
        found = self.index.get(key)
        if found is None or found.voided != voided:
            state = "voided" if voided else "stored (or it is voided)"
            raise NotFoundError(f"no statement {key} is {state}")
        statement = for_reader(self._unseal([self._document(found)])[0], reader)
        return render(statement, fmt, languages, self._canonical_definitions([statement], fmt))

    def find_person(self, agent: Mapping[str, Any]) -> str | None:
        """The pseudonym of an agent or identified group, None if never seen."""
        identifier = identifier_of(agent)
        return self.persons.find_pseudonym(identifier) if identifier else None

    def seal_agent(self, agent: Mapping[str, Any]) -> dict[str, Any]:
        """An identified agent as statements store it: its person's pseudonym (`@person`) and its values sealed.

        The person is made if this identity was never seen. For a plugin that keeps a
        link to an xAPI identity without keeping the identity in clear: erasing the
        person makes the link unreadable too (`unseal_statements([{"actor": sealed}])`
        reads it back). Raises BadRequestError for an agent with no inverse functional identifier.
        """
        identifier = identifier_of(agent)
        if identifier is None:
            raise BadRequestError("an agent needs an mbox, mbox_sha1sum, openid or account to be sealed")
        sealed: dict[str, Any] = self.sealer.seal({"actor": dict(agent)},
                                                  self.persons.ensure_persons([identifier]))["actor"]
        return sealed

    def list_statements(self, query: StatementQuery, languages: Sequence[str] = (),
                        reader: str = XAPI_2) -> StatementPage:
        """A page of statements, newest first unless ascending, and the next page's query.

        Each as a reader of xAPI version `reader` gets it (`lrs.versions.for_reader`).
        """
        limit = MAX_PAGE if query.limit <= 0 else min(query.limit, MAX_PAGE)
        ceiling = query.ceiling if query.ceiling is not None else self.index.last_seq()
        rows = self.index.query(replace(query, ceiling=ceiling), limit + 1)
        more = query.next_page(rows[limit - 1].seq, ceiling) if len(rows) > limit else None
        documents = [for_reader(d, reader) for d in self._unseal([self._document(r) for r in rows[:limit]])]
        definitions = self._canonical_definitions(documents, query.format)
        return StatementPage([render(d, query.format, languages, definitions) for d in documents], more)

    def _canonical_definitions(self, statements: Sequence[Mapping[str, Any]], fmt: str) -> dict[str, Any]:
        """The canonical definitions of the statements' activities, when the format shows them (canonical)."""
        if fmt != "canonical":
            return {}
        ids = {activity_id for statement in statements for activity_id in activity_ids_in(statement)}
        return CanonicalReader(self.recorder.datastore, self.dialect).definitions(ids)

    def rebuild_index(self, page_size: int = 5000) -> int:
        """Rewrite the statement index from the event log (`lrs.index.rebuild`); returns statements indexed.

        Built beside the live index and swapped in at the end in one transaction,
        so an interrupted rebuild leaves the live index as it was.
        """
        return IndexRebuild(self.recorder, self.recorder.datastore, self.dialect, self.decode_statement,
                            STORED_TOPIC, self.recorder.writers_lock).run(page_size)

    def index_status(self) -> IndexStatus:
        """Whether the statement index covers every stored statement (for /health and `slrs serve`)."""
        return index_status(self.recorder, self.recorder.datastore, self.dialect, STORED_TOPIC)

    def more_token(self, query: StatementQuery) -> str:
        """The signed `more` token of a query's next page (Communication 2.1.3), good on any process."""
        return query.to_token(self.settings.token_key())

    def query_of_token(self, token: str) -> StatementQuery:
        """The query a `more` token holds; BadRequestError if this LRS did not issue it as it stands."""
        return StatementQuery.from_token(token, self.settings.token_key())

    def consistent_through(self) -> str:
        """Every statement stored at or before this instant is queryable (Communication 2.1.3)."""
        return self.recorder.consistent_through()

    def get_activity(self, activity_id: str) -> dict[str, Any]:
        """The Activity object of `activity_id` with its canonical definition (Communication 2.5, `lrs.activities`).

        An id no statement defined gives the id alone, as the spec asks (not an
        error); the caller checks `activity_id` is an IRI.
        """
        definition = CanonicalReader(self.recorder.datastore, self.dialect).definition(activity_id)
        return activity_object(activity_id, definition)

    def get_person(self, agent: Mapping[str, Any]) -> dict[str, Any]:
        """The Person object of an Agent: its identifier and every name stored statements gave it (Communication 2.4).

        An agent never seen (or erased) gives what the request holds. Raises
        StatementValidationError unless `agent` is an Agent with one identifier.
        """
        check_agent_parameter(agent)
        found = self.find_person(agent)
        if found is None:
            return person_object(agent)
        pseudonym = Pseudonym(found)
        forms = CanonicalReader(self.recorder.datastore, self.dialect).agent_forms(pseudonym)
        keys = self.persons.find_keys([pseudonym])
        if pseudonym not in keys:  # erased between the two reads
            return person_object(agent)
        known = [self.sealer.unseal({"actor": {PERSON: pseudonym, SEALED: form}}, keys)["actor"] for form in forms]
        return person_object(agent, known)
