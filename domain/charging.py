"""The charging rules (seed 000 s.9; DESIGN.md "Charging" and "Decisions where the seeds are silent"), as pure functions.

Amounts are whole pence (`int`); the API shows them as pounds. A rule with a
zero amount on the card in force raises no charge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ATTENDANCE = "attendance by a non-contributing agency"
NOTICE_28_PLUS = "cancelled with 28 days' notice or more"
NOTICE_14_TO_27 = "cancelled with 14 to 27 days' notice"
NOTICE_UNDER_14 = "cancelled with under 14 days' notice"
DID_NOT_ATTEND = "did not attend"
PARTNERSHIP_CANCELLED = "session cancelled by the partnership"
RULES = (ATTENDANCE, NOTICE_28_PLUS, NOTICE_14_TO_27, NOTICE_UNDER_14, DID_NOT_ATTEND, PARTNERSHIP_CANCELLED)
RULE_KEYS = {"attendance": ATTENDANCE, "notice_28_plus": NOTICE_28_PLUS, "notice_14_to_27": NOTICE_14_TO_27,
             "notice_under_14": NOTICE_UNDER_14, "did_not_attend": DID_NOT_ATTEND,
             "partnership_cancelled": PARTNERSHIP_CANCELLED}
CHARGED_LEVELS = ("2", "3")


@dataclass(frozen=True)
class RateCard:
    """The amount of each rule (pence by rule key), in force for sessions on or after `effective_from`."""

    code: str
    effective_from: date
    amounts: dict[str, int]

    def amount(self, rule: str) -> int:
        key = next(k for k, v in RULE_KEYS.items() if v == rule)
        return self.amounts[key]


DEFAULT_CARD = RateCard("default", date(1, 1, 1), {
    "attendance": 12500, "notice_28_plus": 0, "notice_14_to_27": 7500, "notice_under_14": 12500,
    "did_not_attend": 12500, "partnership_cancelled": 0,
})


@dataclass(frozen=True)
class ChargeDue:
    """What a rule asks of a booking: the rule, the card, the amount in pence, notice days where they apply."""

    rule: str
    card: str
    amount_pence: int
    notice_days: int | None = None


def notice_rule(days: int) -> str:
    """The band of a cancellation with `days` whole days' notice: 28+ free, 14 to 27, under 14."""
    if days >= 28:
        return NOTICE_28_PLUS
    return NOTICE_14_TO_27 if days >= 14 else NOTICE_UNDER_14


def cancellation_charge(card: RateCard, days: int) -> ChargeDue | None:
    """The charge of a cancellation by the agency with `days` notice, or None when the card says nothing is due."""
    rule = notice_rule(days)
    return _due(card, rule, days)


def attendance_charge(card: RateCard, level: str, contributes: bool) -> ChargeDue | None:
    """A non-contributing agency pays for each place attended on a level 2 or 3 course (seed 000 s.9.1)."""
    if contributes or level not in CHARGED_LEVELS:
        return None
    return _due(card, ATTENDANCE, None)


def did_not_attend_charge(card: RateCard) -> ChargeDue | None:
    """Every agency, contributing or not, pays for a delegate who did not attend (seed 000 s.9)."""
    return _due(card, DID_NOT_ATTEND, None)


def partnership_cancelled_charge(card: RateCard) -> ChargeDue | None:
    """A place freed because the partnership cancelled the session: free on the shipped card."""
    return _due(card, PARTNERSHIP_CANCELLED, None)


def _due(card: RateCard, rule: str, days: int | None) -> ChargeDue | None:
    amount = card.amount(rule)
    return ChargeDue(rule, card.code, amount, days) if amount > 0 else None


def card_in_force(cards: list[RateCard], session_date: date) -> RateCard:
    """The card with the latest `effective_from` on or before the session date (the default before any)."""
    found = DEFAULT_CARD
    for card in cards:
        if card.effective_from <= session_date and card.effective_from >= found.effective_from:
            found = card
    return found


def pounds(pence: int) -> str:
    """Pence as pounds with two decimals: 12500 -> '125.00'."""
    return str((Decimal(pence) / 100).quantize(Decimal("0.01")))


def to_pence(value: str | int | float | Decimal) -> int:
    """Pounds (a number or a decimal string, at most two places, not negative) as pence; raises ValueError."""
    amount = Decimal(str(value))
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount > 100_000:
        raise ValueError(f"{value!r} is not an amount of pounds from 0 to 100000 with at most two decimals")
    return int(amount * 100)
