"""Commands and queries on charges: raised by the session's commands, then waived, disputed, credited, invoiced.

When a charge is raised (DESIGN.md): a cancellation charge when the cancellation
is recorded; an attendance fee and a did-not-attend charge when the register
closes; a register correction credits the charge it overturns and raises what
is now due. Each uses the card and the agency's contribution status in force on
the session date, as recorded when the charge is raised.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.account import BookingAccount, Charge
from domain.actor import Actor
from domain.agency import Agency
from domain.base import RecordsBase
from domain.charging import (RULE_KEYS, ChargeDue, RateCard, attendance_charge, cancellation_charge,
                             card_in_force, did_not_attend_charge, partnership_cancelled_charge, to_pence)
from domain.errors import InvalidCommandError, RecordNotFoundError, RuleViolationError
from domain.ids import aggregate_id, check_code
from domain.people import _text
from domain.ratecard import RateCards
from domain.session import Booking, CourseSession
from domain.views_charges import ChargeDetails, CreditDetails

CARDS_ID = aggregate_id("rate-cards", "partnership")


def account_id(booking_id: str) -> Any:
    return aggregate_id("account", booking_id)


class ChargeCommands(RecordsBase):
    """Rate cards and the charges of bookings."""

    def publish_rate_card(self, actor: Actor, code: str, effective_from: date,
                          amounts: dict[str, Any]) -> RateCard:
        """Publish a card: pounds for every rule key of domain/charging.py RULE_KEYS, in force from `effective_from`.

        Raises InvalidCommandError for a missing or bad amount, RuleViolationError for a code used before.
        """
        actor.require_partnership("publish rate cards")
        check_code("rate card", code)
        missing, unknown = set(RULE_KEYS) - set(amounts), set(amounts) - set(RULE_KEYS)
        if missing or unknown:
            raise InvalidCommandError(f"a rate card gives an amount for each of {sorted(RULE_KEYS)}; "
                                      f"missing {sorted(missing)}, unknown {sorted(unknown)}")
        try:
            pence = {k: to_pence(v) for k, v in amounts.items()}
        except (ValueError, ArithmeticError) as error:
            raise InvalidCommandError(str(error)) from None

        def command() -> RateCard:
            cards = self._rate_card_record()
            if code == "default" or any(c.code == code for c in cards.cards):
                raise RuleViolationError(f"rate card {code} exists already")
            cards._record(RateCards.Published, actor, self.clock.now(), effective_from.isoformat(),
                          code=code, amounts=pence)
            self.save(cards)
            return cards.cards[-1]

        return self._retrying(command)

    def _rate_card_record(self) -> RateCards:
        try:
            found: RateCards = self.repository.get(CARDS_ID)
            return found
        except AggregateNotFoundError:
            opened: RateCards = RateCards._begin(RateCards.Opened, CARDS_ID, Actor("system"), self.clock.now(),
                                                 "0001-01-01")
            return opened

    def list_rate_cards(self) -> list[RateCard]:
        """Every card, the shipped default first, then in the order published."""
        from domain.charging import DEFAULT_CARD

        return [DEFAULT_CARD, *self._rate_card_record().cards]

    def rate_card_in_force(self, on: date) -> RateCard:
        return card_in_force(self._rate_card_record().cards, on)

    def _account(self, session: CourseSession, booking: Booking) -> BookingAccount:
        try:
            found: BookingAccount = self.repository.get(account_id(booking.booking_id))
            return found
        except AggregateNotFoundError:
            opened: BookingAccount = BookingAccount._begin(
                BookingAccount.Opened, account_id(booking.booking_id), Actor("system"), self.clock.now(),
                self.clock.now().isoformat(), booking=booking.booking_id, session=session.code, agency=booking.agency)
            return opened

    def _raise(self, actor: Actor, session: CourseSession, booking: Booking, due: ChargeDue | None,
               account: BookingAccount | None = None) -> BookingAccount | None:
        if due is None:
            return account
        account = account or self._account(session, booking)
        charge_id = f"{booking.booking_id}.{len(account.charges) + 1}"
        account.raise_charge(actor, self.clock.now(), charge_id, due.rule, due.card, due.notice_days,
                             due.amount_pence)
        return account

    def _card_for(self, session: CourseSession) -> RateCard:
        return card_in_force(self._rate_card_record().cards, session.session_date)

    def _charge_cancellation(self, actor: Actor, session: CourseSession, booking: Booking) -> BookingAccount | None:
        """The charge of an agency's cancellation of a booked place, by its notice."""
        assert booking.notice_days is not None
        return self._raise(actor, session, booking, cancellation_charge(self._card_for(session), booking.notice_days))

    def _charges_at_close(self, actor: Actor, session: CourseSession) -> list[BookingAccount]:
        """Attendance fees of non-contributing agencies and did-not-attend charges, when the register closes."""
        card = self._card_for(session)
        accounts = []
        for booking in session.bookings.values():
            if booking.outcome is None:
                continue
            account = self._raise(actor, session, booking, self._due_for_outcome(session, booking, card))
            if account is not None:
                accounts.append(account)
        return accounts

    def _charges_at_session_cancel(self, actor: Actor, session: CourseSession,
                                   booked: list[Booking]) -> list[BookingAccount]:
        """Places freed by the partnership's cancellation: charged only if the card in force asks it (£0 default)."""
        due = partnership_cancelled_charge(self._card_for(session))
        accounts = [self._raise(actor, session, b, due) for b in booked]
        return [a for a in accounts if a is not None]

    def _due_for_outcome(self, session: CourseSession, booking: Booking, card: RateCard) -> ChargeDue | None:
        if booking.outcome == "attended":
            agency = self._load("agency", booking.agency, Agency)
            return attendance_charge(card, session.level, agency.contributes_on(session.session_date))
        return did_not_attend_charge(card)

    def _charges_at_correction(self, actor: Actor, session: CourseSession, booking: Booking,
                               reason: str) -> BookingAccount | None:
        """Credit the charge a corrected outcome overturns, and raise what the new outcome is due."""
        account = self._account(session, booking)
        standing = account.standing()
        if standing is not None:
            account.credit(actor, self.clock.now(), BookingAccount.CorrectionCredited, standing.charge_id,
                           f"{standing.charge_id}.credit", reason)
        raised = self._raise(actor, session, booking, self._due_for_outcome(session, booking, self._card_for(session)),
                             account)
        return raised if raised is not None or standing is not None else None

    def _charge_command(self, actor: Actor, charge_id: str, change: Any) -> ChargeDetails:
        booking_id, _, _ = charge_id.rpartition(".")

        def command() -> ChargeDetails:
            try:
                account: BookingAccount = self.repository.get(account_id(booking_id))
            except AggregateNotFoundError:
                raise RecordNotFoundError(f"no charge {charge_id}") from None
            if charge_id not in account.charges or actor.agency not in (None, account.agency):
                raise RecordNotFoundError(f"no charge {charge_id}")
            change(account)
            self.save(account)
            return ChargeDetails.of(account.charges[charge_id])

        return self._retrying(command)

    def waive_charge(self, actor: Actor, charge_id: str, reason: str, approver: str) -> ChargeDetails:
        """The partnership waives a charge (a credit of the whole), naming who approved it and why."""
        actor.require_partnership("waive charges")
        reason, approver = _text("reason", reason, limit=1000), _text("approver", approver)
        return self._charge_command(actor, charge_id, lambda a: a.credit(
            actor, self.clock.now(), BookingAccount.ChargeWaived, charge_id, f"{charge_id}.credit", reason,
            approver=approver))

    def dispute_charge(self, actor: Actor, charge_id: str, reason: str) -> ChargeDetails:
        """The agency disputes one of its charges, with a reason."""
        reason = _text("reason", reason, limit=1000)
        return self._charge_command(actor, charge_id, lambda a: a.dispute(actor, self.clock.now(), charge_id, reason))

    def uphold_dispute(self, actor: Actor, charge_id: str, reason: str) -> ChargeDetails:
        """The partnership upholds a dispute: a credit naming the charge."""
        actor.require_partnership("decide disputes")
        reason = _text("reason", reason, limit=1000)
        return self._charge_command(actor, charge_id, lambda a: a.credit(
            actor, self.clock.now(), BookingAccount.DisputeUpheld, charge_id, f"{charge_id}.credit", reason))

    def reject_dispute(self, actor: Actor, charge_id: str, reason: str) -> ChargeDetails:
        """The partnership rejects a dispute, with a reason; the charge stands."""
        actor.require_partnership("decide disputes")
        reason = _text("reason", reason, limit=1000)
        return self._charge_command(actor, charge_id,
                                    lambda a: a.reject_dispute(actor, self.clock.now(), charge_id, reason))

    def get_charge(self, actor: Actor, charge_id: str) -> ChargeDetails:
        return self._charge_command(actor, charge_id, lambda a: None)

    def list_charges(self, actor: Actor, agency: str | None = None, session: str | None = None) -> list[ChargeDetails]:
        """Charges (with their credits), oldest first; an agency's credential sees its own only."""
        return [ChargeDetails.of(c) for c in self._visible_charges(actor, agency, session)]

    def list_credits(self, actor: Actor, agency: str | None = None) -> list[CreditDetails]:
        """Every credit (waivers, upheld disputes, register corrections), oldest first; an agency sees its own."""
        credits = [CreditDetails.of(c) for c in self._visible_charges(actor, agency, None)]
        return sorted((c for c in credits if c is not None), key=lambda c: (c.recorded_at, c.id))

    def _visible_charges(self, actor: Actor, agency: str | None, session: str | None) -> list[Charge]:
        if actor.agency is not None:
            if agency not in (None, actor.agency):
                raise RecordNotFoundError(f"no agency {agency}")
            agency = actor.agency
        found: list[Charge] = []
        for account in self._accounts():
            if agency in (None, account.agency) and session in (None, account.session):
                found.extend(account.charges.values())
        return sorted(found, key=lambda c: (c.raised_at, c.charge_id))

    def _accounts(self) -> list[BookingAccount]:
        from eventsourcing.utils import get_topic

        topic = get_topic(BookingAccount.Opened)
        ids: list[Any] = []
        start = 1
        while page := self.recorder.select_notifications(start, 1000, topics=[topic]):
            ids.extend(n.originator_id for n in page)
            start = page[-1].id + 1
        return [self.repository.get(i) for i in ids]

    def _month_end(self, month: str) -> datetime:
        from kernel.clock import london_midnight

        try:
            year, number = (int(p) for p in month.split("-"))
            first_next = date(year + number // 12, number % 12 + 1, 1)
        except ValueError:
            raise InvalidCommandError(f"month must be YYYY-MM, not {month!r}") from None
        return london_midnight(first_next)
