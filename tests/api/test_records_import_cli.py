"""`slrs import KIND FILE.csv`: every bad row printed with its line in the file, and then nothing imported (exit 2)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from api.cli import main
from domain.actor import Actor
from domain.application import TrainingRecords
from tests.e2e.servers import SLRS

AGENCIES = """id,name,sector,health,contributes,effective_from
police,Constabulary,statutory,no,yes,2026-04-01
charity,Family Charity,voluntary,false,TRUE,2026-04-01
"""
WORKERS_WITH_BAD_ROWS = """id,agency,job_role,target_group,started_on,name,email,works_with_group_4,line_manager

ann,police,Officer,3,2026-01-05,Ann Example,ann@example.org,no,
bob,police,Officer,nine,2026-01-05,"Bob, the
Second",bob@example.org,no,
cat,nowhere,Worker,2,2026-01-05,Cat,,,
dan,police,Officer,3,5 January,Dan,,no,
eve,police,Officer,3,2026-01-05,Eve,,maybe,ann
fay,police,Officer,3,2026-01-05,Fay,,no,,surplus
"""


@pytest.fixture
def environ(environ: dict[str, str]) -> dict[str, str]:
    """A deployment after `slrs init` (on PostgreSQL nothing else makes the tables)."""
    assert run(environ, "init").exit_code == 0
    return environ


def run(environ: dict[str, str], *args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, list(args), env=environ, input=stdin)


def imported(environ: dict[str, str]) -> TrainingRecords:
    return TrainingRecords(environ)


def test_a_good_file_is_imported_whole_and_the_count_printed(environ: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "agencies.csv").write_text(AGENCIES, encoding="utf-8-sig")  # as spreadsheets save CSV
    result = run(environ, "import", "agencies", str(tmp_path / "agencies.csv"))
    assert (result.exit_code, result.stdout) == (0, f"imported 2 agencies from {tmp_path / 'agencies.csv'}\n")
    records = imported(environ)
    try:
        police, charity = records.list_agencies(Actor("test"))
        assert (police.id, police.contributes, charity.contributes) == ("police", True, True)
    finally:
        records.close()


def test_bad_rows_are_each_printed_with_their_line_and_nothing_is_imported(environ: dict[str, str],
                                                                           tmp_path: Path) -> None:
    (tmp_path / "agencies.csv").write_text(AGENCIES)
    assert run(environ, "import", "agencies", str(tmp_path / "agencies.csv")).exit_code == 0
    path = tmp_path / "workers.csv"
    path.write_text(WORKERS_WITH_BAD_ROWS)
    result = run(environ, "import", "workers", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line.split(":")[1] for line in lines[:-1]] == ["4", "6", "7", "8", "9"]
    assert "target_group" in lines[0] and "nowhere" in lines[1] and "started_on" in lines[2]
    assert "works_with_group_4" in lines[3] and "cells beyond the header" in lines[4]
    assert lines[-1] == f"nothing imported from {path}: 5 problem(s)"
    records = imported(environ)
    try:
        assert records.list_workers(Actor("test")) == []
    finally:
        records.close()


def test_a_file_without_the_columns_of_its_kind_is_refused_at_its_header(environ: dict[str, str],
                                                                          tmp_path: Path) -> None:
    path = tmp_path / "courses.csv"
    path.write_text("id,title,level\nl1,Intro,1\n")
    result = run(environ, "import", "courses", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:1: courses need the columns")
    assert "lacks ['delivery', 'duration_minutes']" in result.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    assert "header row" in run(environ, "import", "courses", str(empty)).stderr
    assert run(environ, "import", "courses", str(tmp_path / "absent.csv")).exit_code == 2


def test_courses_and_sessions_with_lists_separated_by_semicolons(environ: dict[str, str]) -> None:
    courses = ("id,title,level,delivery,duration_minutes,outcomes,topics\n"
               "l1,Intro,1,inter-agency,180,Recognise abuse; Respond to concerns,information sharing\n")
    assert run(environ, "import", "courses", "-", stdin=courses).exit_code == 0
    sessions = ("id,course,starts_at,ends_at,venue,capacity,trainers\n"
                "s1,l1,2027-04-01T09:30:00+01:00,2027-04-01T12:30:00+01:00,Hall,20,\n")
    result = run(environ, "import", "sessions", "-", stdin=sessions)
    assert (result.exit_code, result.stdout) == (0, "imported 1 sessions from -\n")
    records = imported(environ)
    try:
        assert records.get_course("l1").outcomes == ["Recognise abuse", "Respond to concerns"]
        assert records.get_session(Actor("test"), "s1").capacity == 20
    finally:
        records.close()


def test_the_installed_slrs_command_refuses_a_bad_file(environ: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    path.write_text(AGENCIES + "fire,Fire Service,statutory,no,perhaps,2026-04-01\n")
    done = subprocess.run([SLRS, "import", "agencies", str(path)], env={"PATH": "/usr/bin:/bin", **environ},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[0].startswith(f"{path}:4: contributes must be yes or no")
    records = imported(environ)
    try:
        assert records.list_agencies(Actor("test")) == []
    finally:
        records.close()
