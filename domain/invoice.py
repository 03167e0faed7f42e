"""A monthly invoice of one agency: the charge and credit lines recorded by the month's end, not invoiced before.

Once issued it never changes: anything recorded later is on the next one.
"""

from __future__ import annotations

from typing import Any

from domain.record import Record


class Invoice(Record):
    """Issued once per agency and month (`YYYY-MM`); issuing again changes nothing."""

    class Issued(Record.Created):
        agency: str
        month: str
        lines: list[dict[str, Any]]
        total_pence: int

        def apply(self, invoice: Invoice) -> None:
            invoice.agency, invoice.month, invoice.lines = self.agency, self.month, list(self.lines)
            invoice.total_pence, invoice.issued_at = self.total_pence, self.effective

    def __init__(self) -> None:
        self.agency = ""
        self.month = ""
        self.lines: list[dict[str, Any]] = []
        self.total_pence = 0
        self.issued_at = ""
