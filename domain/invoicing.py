"""Monthly invoices: per agency, every charge and credit recorded by the month's end and not invoiced before."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.account import BookingAccount
from domain.actor import Actor
from domain.charges import ChargeCommands
from domain.errors import RecordNotFoundError, RuleViolationError
from domain.ids import aggregate_id
from domain.invoice import Invoice
from domain.views_charges import InvoiceDetails

CREDITS = (BookingAccount.ChargeWaived, BookingAccount.DisputeUpheld, BookingAccount.CorrectionCredited)
LINE_TOPICS = [get_topic(c) for c in (BookingAccount.Opened, BookingAccount.ChargeRaised, *CREDITS)]


def invoice_id(agency: str, month: str) -> Any:
    return aggregate_id("invoice", f"{agency}:{month}")


class InvoiceCommands(ChargeCommands):
    """Issuing is idempotent: an issued invoice is never changed, and issuing the month again changes nothing."""

    def issue_invoices(self, actor: Actor, month: str) -> list[InvoiceDetails]:
        """Issue month `YYYY-MM` (after it has ended, in London) for every agency with lines; returns them all.

        Raises InvalidCommandError for a bad month, RuleViolationError for a month not yet over.
        """
        actor.require_partnership("issue invoices")
        month_end = self._month_end(month)
        if self.clock.now() < month_end:
            raise RuleViolationError(f"{month} has not ended; invoices are issued after the month's end")
        lines = self._uninvoiced_lines(month_end)
        for agency in sorted(lines):
            invoice: Invoice = Invoice._begin(
                Invoice.Issued, invoice_id(agency, month), actor, self.clock.now(), self.clock.now().isoformat(),
                agency=agency, month=month, lines=lines[agency],
                total_pence=sum(line["amount_pence"] for line in lines[agency]))
            try:
                self.save(invoice)
            except IntegrityError:
                continue  # issued before: it stands as it was
        return self.list_invoices(actor, month=month)

    def _uninvoiced_lines(self, month_end: Any) -> dict[str, list[dict[str, Any]]]:
        invoiced = {line["id"] for invoice in self._invoices() for line in invoice.lines}
        agencies: dict[Any, str] = {}
        charges: dict[str, dict[str, Any]] = {}
        lines: dict[str, list[dict[str, Any]]] = {}
        start = 1
        while page := self.recorder.select_notifications(start, 1000, topics=LINE_TOPICS):
            start = page[-1].id + 1
            for notification in page:
                event = self.decode(notification)
                if isinstance(event, BookingAccount.Opened):
                    agencies[event.originator_id] = event.agency
                    continue
                line = self._line(event, agencies[event.originator_id], charges)
                if event.timestamp < month_end and line["id"] not in invoiced:
                    lines.setdefault(line["agency"], []).append(line)
        return lines

    @staticmethod
    def _line(event: Any, agency: str, charges: dict[str, dict[str, Any]]) -> dict[str, Any]:
        if isinstance(event, BookingAccount.ChargeRaised):
            line = {"id": event.charge_id, "type": "charge", "charge": event.charge_id, "agency": agency,
                    "rule": event.rule, "card": event.card, "notice_days": event.notice_days,
                    "amount_pence": event.amount_pence, "recorded_at": event.timestamp.isoformat()}
            charges[event.charge_id] = line
            return line
        charge = charges[event.charge_id]
        return {**charge, "id": event.credit_id, "type": "credit", "credit": type(event).__name__,
                "reason": event.reason, "amount_pence": -event.amount_pence,
                "recorded_at": event.timestamp.isoformat()}

    def _invoices(self) -> list[Invoice]:
        topic = get_topic(Invoice.Issued)
        found: list[Invoice] = []
        start = 1
        while page := self.recorder.select_notifications(start, 1000, topics=[topic]):
            found.extend(self.repository.get(UUID(str(n.originator_id))) for n in page)
            start = page[-1].id + 1
        return found

    def get_invoice(self, actor: Actor, agency: str, month: str) -> InvoiceDetails:
        actor.require_agency(agency, "invoice", f"{agency} {month}")
        try:
            invoice: Invoice = self.repository.get(invoice_id(agency, month))
        except AggregateNotFoundError:
            raise RecordNotFoundError(f"no invoice of {agency} for {month}") from None
        return InvoiceDetails.of(invoice)

    def list_invoices(self, actor: Actor, agency: str | None = None, month: str | None = None) -> list[InvoiceDetails]:
        """Issued invoices, by month then agency; an agency's credential sees its own only."""
        if actor.agency is not None:
            if agency not in (None, actor.agency):
                raise RecordNotFoundError(f"no agency {agency}")
            agency = actor.agency
        found = [InvoiceDetails.of(i) for i in self._invoices()
                 if agency in (None, i.agency) and month in (None, i.month)]
        return sorted(found, key=lambda i: (i.month, i.agency))
