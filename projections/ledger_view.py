"""The charges ledger as of a day, as known at an instant: every charge and credit line, with what befell it.

Charges are shown as raised (rule, card, amount), never re-priced. A charge's
status on the day is its last dispute, rejection or credit effective by then;
a credit is a line of its own (negative). `invoice` is the month of the issued
invoice that carries the line, if one was issued by the end of `as_of` (and known at `known_at`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.account import CREDITED, DISPUTED as CHARGE_DISPUTED, RAISED, REJECTED as CHARGE_REJECTED
from kernel.tracking import TrackingStore
from projections.facts import instant, micros, tuples
from projections.ledger import CHARGE, CREDIT, DISPUTED, REJECTED, L
from projections.timepoint import TimePoint

STATUS_AFTER = {DISPUTED: CHARGE_DISPUTED, REJECTED: CHARGE_REJECTED, CREDIT: CREDITED}


@dataclass(frozen=True)
class LedgerLine:
    """A charge (positive pence) or a credit of one (negative), its booking, rule, card, and what befell the charge.

    `status` is the charge's on the day (raised, disputed, dispute rejected,
    credited); `dispute` and `credit_reason` say why, `approver` who approved a waiver.
    """

    agency: str
    line: str
    id: str
    charge: str
    booking: str
    session: str
    kind: str
    rule: str
    card: str
    notice_days: int | None
    amount_pence: int
    effective: date
    recorded_at: str
    recorded_by: str
    status: str
    dispute: str | None
    credit_reason: str | None
    approver: str | None
    invoice: str | None


@dataclass(frozen=True)
class LedgerTotal:
    """One agency's charges and credits (pence) in one month (YYYY-MM; `all` for the whole period)."""

    agency: str
    month: str
    charges_pence: int
    credits_pence: int
    net_pence: int


def ledger_lines(store: TrackingStore, tp: TimePoint, first: date, last: date,
                 agency: str | None = None) -> list[LedgerLine]:
    """Every charge and credit effective `first` to `last` (and by `as_of`), of `agency` or all, oldest first."""
    sql = (f"SELECT l.*, a.session, a.agency FROM {L}lines l JOIN {L}accounts a ON a.booking = l.booking "
           "WHERE l.recorded <= ? AND l.effective_day <= ?")
    params: list[Any] = [tp.known_us, tp.day]
    if agency is not None:
        sql += " AND a.agency = ?"
        params.append(agency)
    rows = store.fetch(sql + " ORDER BY l.recorded, l.booking, l.version", params)
    invoices = _invoiced(store, tp, agency)
    charges: dict[str, Any] = {}
    befell: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in rows:
        if row["line"] == CHARGE:
            charges[row["charge_id"]] = row
        else:
            befell[row["charge_id"]]["status"] = STATUS_AFTER[row["line"]]
            befell[row["charge_id"]]["credit" if row["line"] == CREDIT else "dispute"] = row
    found = []
    for row in rows:
        if row["line"] not in (CHARGE, CREDIT) or not first.isoformat() <= row["effective_day"] <= last.isoformat():
            continue
        charge, fate = charges[row["charge_id"]], befell.get(row["charge_id"], {})
        credit, dispute = fate.get("credit"), fate.get("dispute")
        sign = 1 if row["line"] == CHARGE else -1
        line_id = row["charge_id"] if row["line"] == CHARGE else row["credit_id"]
        found.append(LedgerLine(
            row["agency"], row["line"], line_id, row["charge_id"], row["booking"], row["session"], row["kind"],
            charge["rule"], charge["card"], charge["notice_days"], sign * int(row["amount_pence"]),
            date.fromisoformat(row["effective_day"]), instant(row["recorded"]).isoformat(), row["by_credential"],
            fate.get("status", RAISED), dispute["reason"] if dispute else None,
            credit["reason"] if credit else None, credit["approver"] if credit else None, invoices.get(line_id)))
    return found


def _invoiced(store: TrackingStore, tp: TimePoint, agency: str | None) -> dict[str, str]:
    sql = (f"SELECT il.line_id, il.month FROM {L}invoice_lines il JOIN {L}invoices i "
           "ON i.agency = il.agency AND i.month = il.month WHERE i.recorded <= ?")
    params: list[Any] = [min(tp.known_us, micros(tp.end_of_day))]  # issued by the end of `as_of`, known then
    if agency is not None:
        sql += " AND il.agency = ?"
        params.append(agency)
    return {row["line_id"]: row["month"] for row in store.fetch(sql, params)}


def ledger_totals(lines: list[LedgerLine]) -> list[LedgerTotal]:
    """Per agency, per month of the lines' effective dates, then `all` months: charges, credits and net (pence)."""
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        for month in (line.effective.isoformat()[:7], "all"):
            sums[(line.agency, month)][0 if line.line == CHARGE else 1] += line.amount_pence
    return [LedgerTotal(agency, month, charged, credited, charged + credited)
            for (agency, month), (charged, credited) in sorted(sums.items(), key=lambda kv: (kv[0][0], kv[0][1]))]


def period_totals(store: TrackingStore, tp: TimePoint, first: date, last: date,
                  agency: str | None = None) -> dict[str, LedgerTotal]:
    """Each agency's charges and credits effective `first` to `last` (and by `as_of`), summed by the database.

    The `all` totals of `ledger_totals(ledger_lines(...))`, without building the lines.
    """
    sql = (f"SELECT a.agency, l.line, SUM(l.amount_pence) FROM {L}lines l JOIN {L}accounts a ON a.booking = l.booking "
           "WHERE l.recorded <= ? AND l.effective_day <= ? AND l.effective_day >= ? AND l.effective_day <= ? "
           "AND l.line IN (?, ?)")
    params: list[Any] = [tp.known_us, tp.day, first.isoformat(), last.isoformat(), CHARGE, CREDIT]
    if agency is not None:
        sql += " AND a.agency = ?"
        params.append(agency)
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for who, line, pence in tuples(store, sql + " GROUP BY a.agency, l.line", params):
        sums[who][0 if line == CHARGE else 1] += int(pence) if line == CHARGE else -int(pence)
    return {who: LedgerTotal(who, "all", charged, credited, charged + credited)
            for who, (charged, credited) in sums.items()}


@dataclass(frozen=True)
class ChargesLedgerView:
    """Every charge and credit effective `first` to `last` (of `agency`; None: every agency), and totals per month.

    Charges never change once raised, and a credit takes effect when it is
    recorded, so nothing recorded after a day changes what the ledger showed
    for it: `late_corrections` is always empty, and there for the same shape as
    the other reports.
    """

    as_of: date
    known_at: datetime
    agency: str | None
    first: date
    last: date
    lines: list[LedgerLine]
    totals: list[LedgerTotal]
    late_corrections: list[Any]


def charges_ledger(store: TrackingStore, tp: TimePoint, first: date, last: date,
                   agency: str | None = None) -> ChargesLedgerView:
    """The ledger of `agency` (or every agency) from `first` to `last`, as of `tp.as_of` known at `tp.known_at`."""
    lines = ledger_lines(store, tp, first, last, agency)
    return ChargesLedgerView(tp.as_of, tp.known_at, agency, first, last, lines, ledger_totals(lines), [])
