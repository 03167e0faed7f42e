"""The plumbing of the `TrainingRecords` application: its persistence, clock, person keys, loading and saving."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, Notification

from domain.actor import Actor
from domain.agency import Agency
from domain.course import Course
from domain.errors import ConcurrentChangeError, RecordNotFoundError
from domain.ids import aggregate_id
from domain.record import Record
from domain.session import CourseSession
from domain.worker import Worker
from kernel.clock import Clock, SystemClock, today
from kernel.keys import Identifier, InMemoryPersonKeys, PersonKeys, Pseudonym, Sealing, SQLPersonKeys, create_person_table
from kernel.persistence import Storage
from kernel.sql import dialect_of

A = TypeVar("A", bound=Record)
T = TypeVar("T")
RETRIES = 5
PERSON_TABLE = "slrs_worker_persons"
KINDS: dict[str, type[Record]] = {"agency": Agency, "worker": Worker, "course": Course, "session": CourseSession}


class RecordsBase(Application[UUID]):
    """Persistence from the deployment's environment (kernel/persistence.py), an injected clock, person keys."""

    name = "TrainingRecords"

    def __init__(self, env: Mapping[str, str] | None = None, clock: Clock | None = None) -> None:
        storage = Storage.from_env(env)
        super().__init__(storage.app_env("records"))
        self.clock: Clock = clock or SystemClock()
        self.sealing = Sealing()
        self.person_keys: PersonKeys
        if storage.engine == "memory":
            self.person_keys = InMemoryPersonKeys()
        else:
            datastore = self.recorder.datastore  # type: ignore[attr-defined]
            dialect = dialect_of(datastore)
            if self.env.get("CREATE_TABLE", "y") == "y":
                with datastore.transaction(commit=True) as c:
                    c.execute(create_person_table(dialect, PERSON_TABLE))
            self.person_keys = SQLPersonKeys(datastore, dialect, PERSON_TABLE)

    def today(self) -> date:
        """Today's English date by the injected clock."""
        return today(self.clock)

    def _load(self, kind: str, code: str, cls: type[A]) -> A:
        try:
            found: Record = self.repository.get(aggregate_id(kind, code))
        except AggregateNotFoundError:
            raise RecordNotFoundError(f"no {kind} {code}") from None
        assert isinstance(found, cls)
        return found

    def _exists(self, kind: str, code: str) -> bool:
        return bool(self.recorder.select_events(aggregate_id(kind, code), limit=1))

    def _retrying(self, command: Callable[[], T]) -> T:
        """Run a load-decide-save command again on fresh state when another writer saved first.

        The event store refuses a second event at the same version, so two clerks
        never overwrite each other; each retry decides again on what is now recorded.
        """
        for _ in range(RETRIES):
            try:
                return command()
            except IntegrityError:
                continue
        raise ConcurrentChangeError("the record kept changing while this command ran; retry it")

    def _codes(self, cls: type[Record], created: type[Record.Created]) -> list[str]:
        """The codes of every record of one kind, in the order they were created."""
        from eventsourcing.utils import get_topic

        topic = get_topic(created)
        codes: list[str] = []
        start = 1
        while page := self.recorder.select_notifications(start, 1000, topics=[topic]):
            codes.extend(self._decoded_code(n) for n in page)
            start = page[-1].id + 1
        return codes

    def _decoded_code(self, notification: Notification) -> str:
        return str(self.mapper.to_domain_event(notification).code)  # type: ignore[attr-defined]

    def decode(self, notification: Notification) -> Record.Event:
        """The domain event of a notification of this log (the records' own decoder, for followers)."""
        event = self.mapper.to_domain_event(notification)
        assert isinstance(event, Record.Event)
        return event

    def _seal_personal(self, worker: str, personal: dict[str, Any]) -> tuple[str, str]:
        person = self.person_keys.ensure_persons([Identifier(f"worker:{worker}")])[Identifier(f"worker:{worker}")]
        plaintext = json.dumps(personal, separators=(",", ":"), sort_keys=True).encode()
        return person.pseudonym, self.sealing.seal(person, plaintext)

    def _unseal_personal(self, pseudonym: str, sealed: str) -> dict[str, Any] | None:
        keys = self.person_keys.find_keys([Pseudonym(pseudonym)])
        if Pseudonym(pseudonym) not in keys:
            return None
        plaintext = self.sealing.unseal(Pseudonym(pseudonym), keys[Pseudonym(pseudonym)], sealed)
        found: dict[str, Any] = json.loads(plaintext)
        return found

    def _visible_worker(self, actor: Actor, code: str) -> Worker:
        """The worker, if the actor may see them (their agency today), else RecordNotFoundError."""
        worker = self._load("worker", code, Worker)
        actor.require_agency(worker.agency_on(self.today()), "worker", code)
        return worker
