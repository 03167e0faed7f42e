"""Charges and invoices as the service returns them: frozen dataclasses of plain values, amounts in pence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.account import Charge
from domain.invoice import Invoice


@dataclass(frozen=True)
class ChargeDetails:
    """One charge: its booking, rule, card, notice days, amount (pence), who pays, status and what befell it."""

    id: str
    booking: str
    session: str
    agency: str
    rule: str
    card: str
    notice_days: int | None
    amount_pence: int
    raised_at: str
    status: str
    events: list[dict[str, str]]

    @classmethod
    def of(cls, charge: Charge) -> ChargeDetails:
        return cls(charge.charge_id, charge.booking, charge.session, charge.agency, charge.rule, charge.card,
                   charge.notice_days, charge.amount_pence, charge.raised_at, charge.status, list(charge.events))


@dataclass(frozen=True)
class CreditDetails:
    """A credit of the whole of a charge: a waiver, an upheld dispute or a register correction (amount in pence)."""

    id: str
    charge: str
    booking: str
    agency: str
    kind: str
    reason: str
    amount_pence: int
    recorded_at: str

    @classmethod
    def of(cls, charge: Charge) -> CreditDetails | None:
        credit = next((e for e in charge.events if "credit_id" in e), None)
        if credit is None:
            return None
        return cls(credit["credit_id"], charge.charge_id, charge.booking, charge.agency, credit["event"],
                   credit["reason"], charge.amount_pence, credit["at"])


@dataclass(frozen=True)
class InvoiceDetails:
    """An issued invoice: the agency, the month (YYYY-MM), its lines (charges positive, credits negative), total."""

    agency: str
    month: str
    issued_at: str
    lines: list[dict[str, Any]]
    total_pence: int

    @classmethod
    def of(cls, invoice: Invoice) -> InvoiceDetails:
        return cls(invoice.agency, invoice.month, invoice.issued_at, list(invoice.lines), invoice.total_pence)
