"""Charts of the board pages, drawn by pygal as inline SVG, each with a text alternative and the table beside it.

A chart never stands alone: `Chart.alt` says in words what it shows (for a
screen reader and for print), and the page shows the same figures as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygal
from markupsafe import Markup
from pygal.style import Style

STYLE = Style(background="white", plot_background="white", foreground="#1b1b1b", foreground_strong="#1b1b1b",
              foreground_subtle="#555", colors=("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92"),
              font_family="Arial, Helvetica, sans-serif", label_font_size=13, major_label_font_size=13,
              value_font_size=12, title_font_size=16, legend_font_size=13)


@dataclass(frozen=True)
class Chart:
    """An SVG chart, its title, and its text alternative."""

    title: str
    alt: str
    svg: Markup


def _render(chart: pygal.Graph, title: str, alt: str) -> Chart:
    svg = chart.render(is_unicode=True, disable_xml_declaration=True)
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(alt)}" focusable="false" ', 1)
    return Chart(title, alt, Markup(labelled))


def _config(chart_type: type[pygal.Graph], unit: str, **options: object) -> pygal.Graph:
    # the page's figcaption carries the title: the SVG repeats none of it
    return chart_type(style=STYLE, js=[], width=720, height=340, show_legend=False,
                      print_values=True, value_formatter=lambda v: f"{v:,.0f}{unit}" if v is not None else "",
                      explicit_size=False, **options)


def bars(title: str, labels: Sequence[str], values: Sequence[float | None], unit: str, what: str,
         maximum: float | None = None) -> Chart:
    """A bar chart of one value per label; `what` names the value in the text alternative."""
    if all(v is None for v in values):
        return Chart(title, f"{title}: no figures for this period.", Markup(""))
    chart = _config(pygal.Bar, unit, range=(0, maximum) if maximum else None, x_label_rotation=30)
    chart.x_labels = list(labels)
    chart.add(what, [None if v is None else round(v, 1) for v in values])
    parts = [f"{label}: {'no figure' if v is None else f'{v:,.1f}{unit}'}" for label, v in zip(labels, values)]
    return _render(chart, title, f"{title}. {what}: {'; '.join(parts)}." if parts else f"{title}: no figures.")


def line(title: str, labels: Sequence[str], values: Sequence[float | None], unit: str, what: str,
         maximum: float | None = None) -> Chart:
    """A line of one value per label (months, oldest first)."""
    chart = _config(pygal.Line, unit, range=(0, maximum) if maximum else None, x_label_rotation=30,
                    dots_size=4)
    chart.x_labels = list(labels)
    chart.add(what, [None if v is None else round(v, 1) for v in values])
    parts = [f"{label}: {'no figure' if v is None else f'{v:,.1f}{unit}'}" for label, v in zip(labels, values)]
    return _render(chart, title, f"{title}. {what}, month by month: {'; '.join(parts)}.")
