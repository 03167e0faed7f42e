"""Commands and queries on agencies and their workers."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.agency import Agency
from domain.base import RecordsBase
from domain.errors import InvalidCommandError, RecordNotFoundError, RuleViolationError
from domain.ids import aggregate_id, check_code
from domain.levels import SECTORS, check_choice, check_target_group
from domain.views import AgencyDetails, WorkerDetails
from domain.worker import Worker
from kernel.keys import Identifier


def _text(name: str, value: str, *, required: bool = True, limit: int = 200) -> str:
    value = value.strip() if isinstance(value, str) else value
    if not isinstance(value, str) or (required and not value) or len(value) > limit:
        raise InvalidCommandError(f"{name} must be {'non-empty ' if required else ''}text of at most {limit} characters")
    return value


class AgencyCommands(RecordsBase):
    """Agencies: registered by the partnership; contribution to the inter-agency budget changes on dates."""

    def register_agency(self, actor: Actor, code: str, name: str, sector: str, health: bool, contributes: bool,
                        effective_from: date) -> AgencyDetails:
        """Register an agency. Raises RuleViolationError if the id is taken, NotPermittedError for an agency."""
        agency = self._new_agency(actor, code, name, sector, health, contributes, effective_from)
        try:
            self.save(agency)
        except IntegrityError:
            raise RuleViolationError(f"agency {code} is registered already") from None
        return AgencyDetails.of(agency, self.today())

    def _new_agency(self, actor: Actor, code: str, name: str, sector: str, health: bool, contributes: bool,
                    effective_from: date) -> Agency:
        actor.require_partnership("register agencies")
        check_code("agency", code)
        agency: Agency = Agency._begin(
            Agency.Registered, aggregate_id("agency", code), actor, self.clock.now(), effective_from.isoformat(),
            code=code, name=_text("name", name), sector=check_choice("sector", sector, SECTORS),
            health=bool(health), contributes=bool(contributes),
        )
        return agency

    def change_agency_details(self, actor: Actor, code: str, name: str, sector: str, health: bool) -> AgencyDetails:
        actor.require_partnership("change an agency's details")

        def command() -> Agency:
            agency = self._load("agency", code, Agency)
            agency._record(Agency.DetailsChanged, actor, self.clock.now(), self.today().isoformat(),
                           name=_text("name", name), sector=check_choice("sector", sector, SECTORS),
                           health=bool(health))
            self.save(agency)
            return agency

        return AgencyDetails.of(self._retrying(command), self.today())

    def change_contribution(self, actor: Actor, code: str, contributes: bool, effective_from: date) -> AgencyDetails:
        """Whether the agency contributes to the inter-agency budget from `effective_from` (seed 000 s.9)."""
        actor.require_partnership("change an agency's contribution status")

        def command() -> Agency:
            agency = self._load("agency", code, Agency)
            agency._record(Agency.ContributionChanged, actor, self.clock.now(), effective_from.isoformat(),
                           contributes=bool(contributes))
            self.save(agency)
            return agency

        return AgencyDetails.of(self._retrying(command), self.today())

    def get_agency(self, actor: Actor, code: str, on: date | None = None) -> AgencyDetails:
        """Raises RecordNotFoundError for an unknown agency or another agency's."""
        actor.require_agency(code, "agency", code)
        return AgencyDetails.of(self._load("agency", code, Agency), on or self.today())

    def list_agencies(self, actor: Actor, on: date | None = None) -> list[AgencyDetails]:
        codes = self._codes(Agency, Agency.Registered)
        return [self.get_agency(actor, c, on) for c in codes if actor.agency in (None, c)]


class WorkerCommands(RecordsBase):
    """Workers: registered and moved by their agency or the partnership; personal data sealed per person."""

    def register_worker(self, actor: Actor, code: str, agency: str, job_role: str, target_group: int,
                        started_on: date, name: str, email: str | None = None, works_with_group_4: bool = False,
                        line_manager: str | None = None) -> WorkerDetails:
        """Register a worker of `agency` from `started_on`.

        Raises RecordNotFoundError for an unknown (or another) agency or line
        manager, RuleViolationError if the id is taken, InvalidCommandError for bad values.
        """
        worker = self._new_worker(actor, code, agency, job_role, target_group, started_on, name, email,
                                  works_with_group_4, line_manager)
        try:
            self.save(worker)
        except IntegrityError:
            raise RuleViolationError(f"worker {code} is registered already") from None
        return self._worker_details(worker, self.today())

    def _new_worker(self, actor: Actor, code: str, agency: str, job_role: str, target_group: int,
                    started_on: date, name: str, email: str | None, works_with_group_4: bool,
                    line_manager: str | None, known: Collection[str] = ()) -> Worker:
        """A new Worker, not yet saved; `known` are workers of the same import that may be line managers."""
        check_code("worker", code)
        actor.require_agency(agency, "agency", agency)
        self._load("agency", agency, Agency)
        if line_manager is not None and line_manager not in known:
            self._visible_worker(actor, line_manager)
        fields = {"job_role": _text("job role", job_role), "target_group": check_target_group(target_group)}
        pseudonym, sealed = self._seal_personal(code, self._personal(name, email))
        worker: Worker = Worker._begin(
            Worker.Registered, aggregate_id("worker", code), actor, self.clock.now(), started_on.isoformat(),
            code=code, agency=agency, works_with_group_4=bool(works_with_group_4), line_manager=line_manager,
            pseudonym=pseudonym, sealed=sealed, **fields,
        )
        return worker

    @staticmethod
    def _personal(name: str, email: str | None) -> dict[str, Any]:
        email = _text("email", email or "", required=False, limit=320) or None
        if email is not None and "@" not in email:
            raise InvalidCommandError(f"email {email!r} has no @")
        return {"name": _text("name", name), "email": email}

    def _change_worker(self, actor: Actor, code: str, event: type[Worker.Event], effective: date,
                       **fields: Any) -> WorkerDetails:
        def command() -> Worker:
            worker = self._visible_worker(actor, code)
            worker._record(event, actor, self.clock.now(), effective.isoformat(), **fields)
            self.save(worker)
            return worker

        return self._worker_details(self._retrying(command), self.today())

    def move_worker_to_agency(self, actor: Actor, code: str, agency: str, effective_from: date) -> WorkerDetails:
        """The worker belongs to `agency` from `effective_from`; earlier bookings stay with the agency that made them.

        Only the partnership moves workers between agencies (neither agency may hand a worker to the other).
        """
        actor.require_partnership("move workers between agencies")
        self._load("agency", agency, Agency)
        return self._change_worker(actor, code, Worker.MovedAgency, effective_from, agency=agency)

    def move_worker_to_group(self, actor: Actor, code: str, target_group: int, effective_from: date,
                             works_with_group_4: bool = False) -> WorkerDetails:
        """The worker is in `target_group` from `effective_from`; their new pathway's clock starts then."""
        return self._change_worker(actor, code, Worker.MovedGroup, effective_from,
                                   target_group=check_target_group(target_group),
                                   works_with_group_4=bool(works_with_group_4))

    def change_job_role(self, actor: Actor, code: str, job_role: str, effective_from: date) -> WorkerDetails:
        return self._change_worker(actor, code, Worker.JobRoleChanged, effective_from,
                                   job_role=_text("job role", job_role))

    def change_line_manager(self, actor: Actor, code: str, line_manager: str | None,
                            effective_from: date) -> WorkerDetails:
        if line_manager is not None:
            if line_manager == code:
                raise InvalidCommandError("a worker cannot be their own line manager")
            self._visible_worker(actor, line_manager)
        return self._change_worker(actor, code, Worker.LineManagerChanged, effective_from, line_manager=line_manager)

    def record_leaving(self, actor: Actor, code: str, left_on: date) -> WorkerDetails:
        return self._change_worker(actor, code, Worker.Left, left_on)

    def change_personal_details(self, actor: Actor, code: str, name: str, email: str | None) -> WorkerDetails:
        self._visible_worker(actor, code)
        pseudonym, sealed = self._seal_personal(code, self._personal(name, email))
        return self._change_worker(actor, code, Worker.PersonalDetailsChanged, self.today(),
                                   pseudonym=pseudonym, sealed=sealed)

    def erase_personal_data(self, actor: Actor, code: str) -> WorkerDetails:
        """Destroy the worker's key: their name and email become unreadable in every event, which stay intact."""
        actor.require_partnership("erase personal data")

        def command() -> Worker:
            worker = self._load("worker", code, Worker)
            worker._record(Worker.PersonalDataErased, actor, self.clock.now(), self.today().isoformat())
            self.save(worker)
            return worker

        worker = self._retrying(command)
        self.person_keys.erase(Identifier(f"worker:{code}"))  # after the event: a crash leaves the key, not a lie
        return self._worker_details(worker, self.today())

    def get_worker(self, actor: Actor, code: str, on: date | None = None) -> WorkerDetails:
        """The worker as on `on` (default today). Raises RecordNotFoundError for another agency's worker."""
        return self._worker_details(self._visible_worker(actor, code), on or self.today())

    def list_workers(self, actor: Actor, agency: str | None = None, on: date | None = None) -> list[WorkerDetails]:
        """Workers of `agency` (an agency credential: its own) as on `on` (default today)."""
        if actor.agency is not None:
            if agency not in (None, actor.agency):
                raise RecordNotFoundError(f"no agency {agency}")
            agency = actor.agency
        day = on or self.today()
        found = []
        for code in self._codes(Worker, Worker.Registered):
            worker = self._load("worker", code, Worker)
            if agency is None or worker.agency_on(day) == agency:
                found.append(self._worker_details(worker, day))
        return found

    def _worker_details(self, worker: Worker, on: date) -> WorkerDetails:
        return WorkerDetails.of(worker, on, self._unseal_personal(worker.pseudonym, worker.sealed))
