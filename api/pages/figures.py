"""The figures of the board pages, from the reports (api/reports/running.py): the same numbers the JSON gives."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from api.pages.charts import Chart, bars, line
from api.reports.running import Asked, ReportRunner, scope
from domain.charging import pounds
from projections.accountability import ComplianceRow
from projections.ledger_view import LedgerTotal
from projections.progress_periods import status_counts
from projections.timepoint import TimePoint

TREND_MONTHS = 12


@dataclass(frozen=True)
class Trend:
    """Compliance (percentage of workers) at the end of each month up to the day reported on, oldest first."""

    labels: list[str]
    values: list[float | None]


def month_ends(as_of: date, count: int = TREND_MONTHS) -> list[date]:
    """The last day of each of the `count` months before `as_of`'s, then `as_of` itself."""
    ends = [as_of]
    day = as_of.replace(day=1) - timedelta(days=1)
    while len(ends) < count:
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return list(reversed(ends))


def compliance_trend(runner: ReportRunner, viewer: str | None, asked: Asked, agency: str | None) -> Trend:
    """The share of workers compliant at each month's end, as known at `asked.known_at`.

    Each month's end is counted as the reports count a day (projections/progress_periods.py
    `status_counts`): the periods holding it, and any worker changed since `known_at` evaluated.
    """
    tp = runner.time_point(asked)
    progress = runner.stores("progress")["progress"]
    covered = scope(viewer, agency)
    labels, values = [], []
    for day in month_ends(tp.as_of):
        counts = status_counts(progress, TimePoint(day, tp.known_at), covered)
        headcount, compliant = sum(counts.values()), sum(n for key, n in counts.items() if key.compliant)
        labels.append(day.strftime("%b %Y") if day != tp.as_of else f"{day:%d %b %Y}")
        values.append(round(100 * compliant / headcount, 1) if headcount else None)
    return Trend(labels, values)


def by_group_chart(rows: list[ComplianceRow], whose: str) -> Chart:
    """Percentage compliant per target group."""
    return bars(f"Compliance by target group, {whose}", [f"Group {r.target_group}" for r in rows],
                [r.compliant_pct for r in rows], "%", "Workers compliant", maximum=100)


def group_totals(cells: list[ComplianceRow]) -> list[ComplianceRow]:
    """The partnership's cells (agency by group) added up per target group."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0] * 7)
    for cell in cells:
        if cell.target_group is None:
            continue
        counts = (cell.headcount, cell.compliant, cell.in_date, cell.expiring, cell.expired, cell.never_trained,
                  cell.not_yet_due)
        sums[cell.target_group] = [a + b for a, b in zip(sums[cell.target_group], counts)]
    return [ComplianceRow("partnership", group, s[0], s[1], round(100 * s[1] / s[0], 1) if s[0] else None, *s[2:])
            for group, s in sorted(sums.items())]


def charges_by_month(totals: list[LedgerTotal]) -> tuple[list[str], list[float]]:
    """Net charges (pounds) per month across the agencies of `totals`."""
    months: dict[str, int] = defaultdict(int)
    for total in totals:
        if total.month != "all":
            months[total.month] += total.net_pence
    ordered = sorted(months)
    return ordered, [months[m] / 100 for m in ordered]


def charges_chart(totals: list[LedgerTotal], whose: str) -> Chart:
    labels, values = charges_by_month(totals)
    return bars(f"Charges by month, {whose}", labels, values, "", "Net charges in pounds")


def trend_chart(trend: Trend, whose: str) -> Chart:
    return line(f"Compliance month by month, {whose}", trend.labels, trend.values, "%", "Workers compliant",
                maximum=100)


__all__ = ["pounds"]
