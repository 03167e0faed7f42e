"""The facts of the charges ledger: each booking's account, every charge, credit and dispute, and issued invoices.

Follows the training records' log. Charges are kept exactly as raised (rule,
card, amount): a later rate card never re-prices them. Tables:

- `slrs_ledger_accounts`: each booking's account: its session and the agency that pays;
- `slrs_ledger_lines`: every charge raised, credit (waiver, upheld dispute, register correction), dispute and
  rejected dispute, with who recorded it, its effective date and the instant it was recorded;
- `slrs_ledger_invoices`, `slrs_ledger_invoice_lines`: each issued invoice and the line ids it holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from domain.account import BookingAccount
from domain.invoice import Invoice
from domain.record import Record
from kernel.tracking import TrackingStore
from projections.facts import Codes, by_fields, effective_day, insert, micros

L = "slrs_ledger_"
LINE_COLUMNS = ("booking", "version", "line", "charge_id", "credit_id", "kind", "rule", "card", "notice_days",
                "amount_pence", "reason", "approver", "effective", "effective_day", "recorded", "by_credential")
CHARGE, CREDIT, DISPUTED, REJECTED = "charge", "credit", "disputed", "dispute rejected"


class LedgerProjection:
    """Every charge and credit as raised, and the invoices that carry them."""

    log = "records"
    tables: tuple[str, ...] = (
        Codes.ddl(L + "ids"),
        f"""CREATE TABLE IF NOT EXISTS {L}accounts (booking TEXT PRIMARY KEY, session TEXT NOT NULL,
            agency TEXT NOT NULL, recorded BIGINT NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS {L}accounts_by_agency ON {L}accounts (agency)",
        f"""CREATE TABLE IF NOT EXISTS {L}lines (booking TEXT NOT NULL, version INTEGER NOT NULL, line TEXT NOT NULL,
            charge_id TEXT NOT NULL, credit_id TEXT, kind TEXT NOT NULL, rule TEXT, card TEXT, notice_days INTEGER,
            amount_pence BIGINT, reason TEXT, approver TEXT, effective TEXT NOT NULL, effective_day TEXT NOT NULL,
            recorded BIGINT NOT NULL, by_credential TEXT NOT NULL, PRIMARY KEY (booking, version))""",
        f"""CREATE TABLE IF NOT EXISTS {L}invoices (agency TEXT NOT NULL, month TEXT NOT NULL,
            total_pence BIGINT NOT NULL, recorded BIGINT NOT NULL, PRIMARY KEY (agency, month))""",
        f"""CREATE TABLE IF NOT EXISTS {L}invoice_lines (agency TEXT NOT NULL, month TEXT NOT NULL,
            line_id TEXT NOT NULL, PRIMARY KEY (agency, month, line_id))""",
    )

    def __init__(self) -> None:
        self.codes = Codes(L + "ids", ("account", "invoice"))

    def reset(self, cursor: Any) -> None:
        """Forget every fact (before a rebuild)."""
        for table in ("accounts", "lines", "invoices", "invoice_lines"):
            cursor.execute(f"DELETE FROM {L}{table}")

    def apply(self, store: TrackingStore, cursor: Any, values: Sequence[Record.Event]) -> None:
        """Write a page of events as rows, in log order."""
        wanted = [e for e in values if type(e) in HANDLERS]
        codes = self.codes.resolve(store, cursor, values, wanted)
        rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for event in wanted:
            HANDLERS[type(event)](event, codes[event.originator_id], rows)
        insert(store, cursor, L + "accounts", ("booking", "session", "agency", "recorded"), rows["accounts"])
        insert(store, cursor, L + "lines", LINE_COLUMNS, rows["lines"])
        insert(store, cursor, L + "invoices", ("agency", "month", "total_pence", "recorded"), rows["invoices"])
        insert(store, cursor, L + "invoice_lines", ("agency", "month", "line_id"), rows["invoice_lines"])


Rows = dict[str, list[tuple[Any, ...]]]


def _line(e: Any, booking: str, line: str, **values: Any) -> tuple[Any, ...]:
    return (booking, e.originator_version, line, e.charge_id, values.get("credit_id"), type(e).__name__,
            values.get("rule"), values.get("card"), values.get("notice_days"), values.get("amount_pence"),
            values.get("reason"), values.get("approver"), e.effective, effective_day(e.effective),
            micros(e.timestamp), by_fields(e)[0])


def _opened(e: Any, booking: str, rows: Rows) -> None:
    rows["accounts"].append((booking, e.session, e.agency, micros(e.timestamp)))


def _raised(e: Any, booking: str, rows: Rows) -> None:
    rows["lines"].append(_line(e, booking, CHARGE, rule=e.rule, card=e.card, notice_days=e.notice_days,
                               amount_pence=e.amount_pence))


def _credit(e: Any, booking: str, rows: Rows) -> None:
    rows["lines"].append(_line(e, booking, CREDIT, credit_id=e.credit_id, amount_pence=e.amount_pence,
                               reason=e.reason, approver=getattr(e, "approver", None)))


def _disputed(line: str) -> Callable[[Any, str, Rows], None]:
    def handle(e: Any, booking: str, rows: Rows) -> None:
        rows["lines"].append(_line(e, booking, line, reason=e.reason))
    return handle


def _issued(e: Any, code: str, rows: Rows) -> None:
    rows["invoices"].append((e.agency, e.month, e.total_pence, micros(e.timestamp)))
    rows["invoice_lines"].extend((e.agency, e.month, line["id"]) for line in e.lines)


HANDLERS: dict[type, Callable[[Any, str, Rows], None]] = {
    BookingAccount.Opened: _opened,
    BookingAccount.ChargeRaised: _raised,
    BookingAccount.ChargeWaived: _credit,
    BookingAccount.DisputeUpheld: _credit,
    BookingAccount.CorrectionCredited: _credit,
    BookingAccount.Disputed: _disputed(DISPUTED),
    BookingAccount.DisputeRejected: _disputed(REJECTED),
    Invoice.Issued: _issued,
}
