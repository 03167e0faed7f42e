"""The charges and credits of one booking: a raised charge is never edited; waivers, disputes, credits are events.

At most one charge of a booking stands at a time: a new one is raised only
when every earlier one has been credited (a register correction).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.actor import Actor
from domain.errors import RuleViolationError
from domain.record import Record

RAISED, DISPUTED, REJECTED, CREDITED = "raised", "disputed", "dispute rejected", "credited"


@dataclass
class Charge:
    """One charge; `status` is raised, disputed, dispute rejected or credited."""

    charge_id: str
    booking: str
    session: str
    agency: str
    rule: str
    card: str
    notice_days: int | None
    amount_pence: int
    raised_at: str
    status: str = RAISED
    events: list[dict[str, str]] = field(default_factory=list)


class BookingAccount(Record):
    """The account of one booking."""

    class Opened(Record.Created):
        booking: str
        session: str
        agency: str

        def apply(self, account: BookingAccount) -> None:
            account.booking, account.session, account.agency = self.booking, self.session, self.agency

    class ChargeRaised(Record.Event):
        charge_id: str
        rule: str
        card: str
        notice_days: int | None
        amount_pence: int

        def apply(self, account: BookingAccount) -> None:
            account.charges[self.charge_id] = Charge(
                self.charge_id, account.booking, account.session, account.agency, self.rule, self.card,
                self.notice_days, self.amount_pence, self.effective)

    class Credit(Record.Event):
        """A credit of the whole of a charge; a line of its own on the next invoice."""

        credit_id: str
        charge_id: str
        amount_pence: int
        reason: str

        def apply(self, account: BookingAccount) -> None:
            charge = account.charges[self.charge_id]
            charge.status = CREDITED
            charge.events.append({"event": type(self).__name__, "credit_id": self.credit_id, "reason": self.reason,
                                  "at": self.effective})

    class ChargeWaived(Credit):
        approver: str

    class DisputeUpheld(Credit):
        pass

    class CorrectionCredited(Credit):
        """The register was corrected after close: the did-not-attend charge (or attendance fee) is credited."""

    class Disputed(Record.Event):
        charge_id: str
        reason: str

        def apply(self, account: BookingAccount) -> None:
            charge = account.charges[self.charge_id]
            charge.status = DISPUTED
            charge.events.append({"event": "Disputed", "reason": self.reason, "at": self.effective})

    class DisputeRejected(Record.Event):
        charge_id: str
        reason: str

        def apply(self, account: BookingAccount) -> None:
            charge = account.charges[self.charge_id]
            charge.status = REJECTED
            charge.events.append({"event": "DisputeRejected", "reason": self.reason, "at": self.effective})

    def __init__(self) -> None:
        self.booking = ""
        self.session = ""
        self.agency = ""
        self.charges: dict[str, Charge] = {}

    def standing(self) -> Charge | None:
        """The charge that stands (not credited), if any."""
        return next((c for c in self.charges.values() if c.status != CREDITED), None)

    def charge(self, charge_id: str) -> Charge:
        try:
            return self.charges[charge_id]
        except KeyError:
            raise RuleViolationError(f"booking {self.booking} has no charge {charge_id}") from None

    def raise_charge(self, actor: Actor, at: datetime, charge_id: str, rule: str, card: str,
                     notice_days: int | None, amount_pence: int) -> None:
        """Raise a charge; refused while another charge of the booking stands (one charge per booking)."""
        standing = self.standing()
        if standing is not None:
            raise RuleViolationError(f"booking {self.booking} already has charge {standing.charge_id}")
        self._record(self.ChargeRaised, actor, at, at.isoformat(), charge_id=charge_id, rule=rule, card=card,
                     notice_days=notice_days, amount_pence=amount_pence)

    def credit(self, actor: Actor, at: datetime, event: type[Credit], charge_id: str, credit_id: str,
               reason: str, **extra: str) -> None:
        charge = self.charge(charge_id)
        if charge.status == CREDITED:
            raise RuleViolationError(f"charge {charge_id} is credited already")
        if event is self.DisputeUpheld and charge.status != DISPUTED:
            raise RuleViolationError(f"charge {charge_id} is not under dispute")
        self._record(event, actor, at, at.isoformat(), credit_id=credit_id, charge_id=charge_id,
                     amount_pence=charge.amount_pence, reason=reason, **extra)

    def dispute(self, actor: Actor, at: datetime, charge_id: str, reason: str) -> None:
        """The agency disputes a raised charge, once."""
        charge = self.charge(charge_id)
        if charge.status != RAISED:
            raise RuleViolationError(f"charge {charge_id} is {charge.status}; only a raised charge is disputed")
        self._record(self.Disputed, actor, at, at.isoformat(), charge_id=charge_id, reason=reason)

    def reject_dispute(self, actor: Actor, at: datetime, charge_id: str, reason: str) -> None:
        charge = self.charge(charge_id)
        if charge.status != DISPUTED:
            raise RuleViolationError(f"charge {charge_id} is not under dispute")
        self._record(self.DisputeRejected, actor, at, at.isoformat(), charge_id=charge_id, reason=reason)
