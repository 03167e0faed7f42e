"""CSV files of records for `slrs import`: the header checked once, rows read with the line each starts on.

The columns of each kind are domain/imports.py's COLUMNS (README, "Importing
records"). A row is a dict of strings; a problem the domain finds in data row
n is reported at the line of the file where that row starts.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

import click

from domain.actor import Actor
from domain.application import TrainingRecords
from domain.errors import RecordsError, RowsRejectedError
from domain.imports import COLUMNS

CLI = Actor(credential="cli")  # a partnership actor: the command line speaks for the whole partnership
PROGRESS_ROWS = 1000
EXTRA = "cells beyond the header"


class CSVFileError(ValueError):
    """The file cannot be imported at all (no header, wrong columns); `line` is where it was found."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class CSVRows:
    """The data rows of a file, and the line of the file each starts on (rows can span lines in quotes)."""

    rows: list[dict[str, str]]
    lines: list[int]

    def line_of(self, row_number: int) -> int:
        """The line of data row `row_number` (counted from 1, as the domain counts)."""
        return self.lines[row_number - 1]


def read_rows(kind: str, source: TextIO) -> CSVRows:
    """Every data row of a CSV file of `kind` (agencies, workers, courses, sessions).

    Blank lines are skipped; missing cells at the end of a row are empty, and
    cells beyond the header go in a column EXTRA, which the domain refuses by name.
    Raises CSVFileError when the header is missing, repeats a column, lacks a
    required column or has one the kind does not.
    """
    reader = csv.reader(source)
    header, header_line = _header(reader)
    _check_header(kind, header, header_line)
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    line = reader.line_num
    for cells in _records(reader):
        start, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
        if len(cells) > len(header):
            row[EXTRA] = ";".join(cells[len(header):])
        rows.append(row)
        lines.append(start)
    return CSVRows(rows, lines)


def _header(reader: Any) -> tuple[list[str], int]:
    """The first row that is not blank, and its line."""
    for cells in _records(reader):
        if any(c.strip() for c in cells):
            return [c.strip() for c in cells], reader.line_num
    raise CSVFileError(1, "the file is empty: a header row naming the columns is required")


def _records(reader: Any) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as error:
        raise CSVFileError(reader.line_num, f"not a CSV file: {error}") from None


def _check_header(kind: str, header: list[str], line: int) -> None:
    required, optional = COLUMNS[kind]
    repeated = sorted({c for c in header if header.count(c) > 1})
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required + optional]
    if repeated:
        raise CSVFileError(line, f"the header repeats column(s) {repeated}")
    if missing or unknown:
        raise CSVFileError(line, f"{kind} need the columns {list(required)} and may have {list(optional)}; "
                                 f"this header lacks {missing} and has unknown {unknown}")


def import_file(records: TrainingRecords, kind: str, path: str) -> int:
    """Import the CSV file at `path` (`-`: standard input) as `kind`; returns the exit status (see import_csv)."""
    if path == "-":
        return import_csv(records, kind, io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline=""), "-")
    try:
        source = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115  (closed below)
    except OSError as error:
        click.echo(f"{path}: {error.strerror}", err=True)
        return 2
    with source:
        return import_csv(records, kind, source, path)


def import_csv(records: TrainingRecords, kind: str, source: TextIO, name: str) -> int:
    """Import the file `name` as `kind` with a partnership actor (credential `cli`); returns the exit status.

    Prints every bad row as `name:LINE: reason` (stderr) and imports nothing
    (status 2), or prints how many were imported (status 0). A progress bar
    shows on stderr for files of PROGRESS_ROWS rows or more.
    """
    try:
        read = read_rows(kind, source)
    except CSVFileError as error:
        click.echo(f"{name}:{error.line}: {error}", err=True)
        return _nothing(name, 1)
    except UnicodeDecodeError as error:
        click.echo(f"{name}: not UTF-8 text ({error.reason} at byte {error.start})", err=True)
        return _nothing(name, 1)
    if not read.rows:
        click.echo(f"{name}: no rows under the header; nothing to import", err=True)
        return 2
    try:
        with click.progressbar(length=len(read.rows), label=f"checking {kind}", file=sys.stderr,
                               hidden=len(read.rows) < PROGRESS_ROWS) as bar:
            rows: list[Mapping[str, str]] = list(read.rows)
            count = records.import_rows(CLI, kind, rows, bar.update)
    except RowsRejectedError as error:
        for number, reason in error.problems:
            click.echo(f"{name}:{read.line_of(number)}: {reason}", err=True)
        return _nothing(name, len(error.problems))
    except RecordsError as error:
        click.echo(f"{name}: {error}", err=True)
        return _nothing(name, 1)
    click.echo(f"imported {count} {kind} from {name}")
    return 0


def _nothing(name: str, bad: int) -> int:
    click.echo(f"nothing imported from {name}: {bad} problem(s)", err=True)
    return 2
