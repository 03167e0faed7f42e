"""Statement reference chains (issue 9, item 9): a filter that c meets is met by b -> c and by a -> b -> c.

xAPI 1.0.3 Communication 2.1.3 (Filter Conditions for StatementRefs): "This
rule applies recursively"; time and sequence parameters still apply to the
referring statement itself, and a voiding statement is returned too (2.1.4.s1.b2).
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

from api.app import Services
from lrs.query import StatementQuery
from tests.conftest import AUTHORITY, statement

BEN = {"mbox": "mailto:ben@example.org"}
ANDREW = {"mbox": "mailto:andrew@example.org"}
PASSED = "http://adlnet.gov/expapi/verbs/passed"
CONFIRMED = "http://adlnet.gov/expapi/verbs/confirmed"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
COURSE = "https://lscp.example/courses/level-3"
STORE_V1 = Path(__file__).resolve().parents[1] / "fixtures" / "store-v1"


def ref(target: str, verb: str = CONFIRMED, actor: dict[str, Any] = ANDREW, sid: str | None = None) -> dict[str, Any]:
    """A statement whose object is a StatementRef to `target`."""
    return statement(id=sid or str(uuid.uuid4()), actor=actor, verb={"id": verb},
                     object={"objectType": "StatementRef", "id": target})


def store(services: Services, *statements: dict[str, Any]) -> list[str]:
    return services.lrs.store_statements(list(statements), AUTHORITY)


def ids(services: Services, **filters: Any) -> set[str]:
    if "agent" in filters:
        filters["agent"] = services.lrs.find_person(filters["agent"]) or "never seen"
    return {s["id"] for s in services.lrs.list_statements(StatementQuery(**filters)).statements}


def chain(services: Services) -> tuple[str, str, str]:
    """c: Ben passed the course; b confirms c; a confirms b."""
    c = statement(id=str(uuid.uuid4()), actor=BEN, verb={"id": PASSED}, object={"id": COURSE})
    b = ref(c["id"])
    a = ref(b["id"])
    for each in (c, b, a):
        store(services, each)
    return a["id"], b["id"], c["id"]


def test_a_filter_met_by_c_is_met_through_the_whole_chain(services: Services) -> None:
    """Before: agent=Ben gave b and c, not a."""
    a, b, c = chain(services)
    other = store(services, statement(actor=ANDREW))
    assert ids(services, agent=BEN) == {a, b, c}
    assert ids(services, activity=COURSE) == {a, b, c}
    assert ids(services, verb=PASSED) == {a, b, c}
    assert ids(services, verb=CONFIRMED) == {a, b}
    assert ids(services, agent=ANDREW) == {a, b, *other}


def test_a_chain_is_resolved_whatever_order_its_statements_arrive_in(services: Services) -> None:
    """Ids are the client's, so a may come before b, and b before c; each arrival joins the chains waiting for it."""
    c_id, b_id = str(uuid.uuid4()), str(uuid.uuid4())
    a = ref(b_id)
    store(services, a)
    assert ids(services, agent=BEN) == set()
    store(services, ref(c_id, sid=b_id))
    store(services, statement(id=c_id, actor=BEN, verb={"id": PASSED}, object={"id": COURSE}))
    assert ids(services, agent=BEN) == {a["id"], b_id, c_id}


def test_a_long_chain_and_a_voiding_statement_in_it(services: Services) -> None:
    """A voided statement in the chain is not returned itself; the statements targeting it are, the voiding one too."""
    a, b, c = chain(services)
    d = ref(a)
    void_b = ref(b, verb=VOIDED)
    store(services, d, void_b)
    assert ids(services, agent=BEN) == {a, c, d["id"], void_b["id"]}
    assert ids(services, agent=BEN, verb=VOIDED) == set()  # the whole filter is met by one statement of the chain


def test_time_and_page_parameters_apply_to_the_referring_statement(services: Services) -> None:
    a, b, c = chain(services)
    stored = {s["id"]: s["stored"] for s in services.lrs.list_statements(StatementQuery()).statements}
    assert ids(services, agent=BEN, since=stored[b]) == {a}
    assert ids(services, agent=BEN, until=stored[b]) == {b, c}
    assert len(ids(services, agent=BEN, limit=2)) == 2


def test_a_statement_ref_in_context_does_not_join_a_chain(services: Services) -> None:
    """Communication 2.1.3: "StatementRefs used as a value of the Statement property within Context do not affect"."""
    a, b, c = chain(services)
    aside = statement(actor=ANDREW, context={"statement": {"objectType": "StatementRef", "id": c}})
    store(services, aside)
    assert ids(services, agent=BEN) == {a, b, c}


def test_cycles_end(services: Services) -> None:
    x_id, y_id = str(uuid.uuid4()), str(uuid.uuid4())
    store(services, ref(y_id, actor=BEN, sid=x_id), ref(x_id, sid=y_id))
    assert ids(services, agent=BEN) == {x_id, y_id}


def test_a_rebuilt_index_resolves_the_same_chains(services: Services) -> None:
    c_id, b_id = str(uuid.uuid4()), str(uuid.uuid4())
    a = ref(b_id)
    store(services, a)
    store(services, ref(c_id, sid=b_id))
    store(services, statement(id=c_id, actor=BEN, verb={"id": PASSED}, object={"id": COURSE}))
    before = ids(services, agent=BEN)
    assert services.lrs.rebuild_index() == 3
    assert ids(services, agent=BEN) == before == {a["id"], b_id, c_id}


def test_a_store_written_before_chains_were_kept_gets_them_when_opened(tmp_path: Any) -> None:
    """tests/fixtures/store-v1: statement 4 voids statement 1 (completed), so verb=completed finds 4 before any rebuild."""
    shutil.copytree(STORE_V1, tmp_path / "var")
    services = Services.from_env({"SLRS_DATA_DIR": str(tmp_path / "var")})
    try:
        completed = StatementQuery(verb="http://adlnet.gov/expapi/verbs/completed")
        opened = {s["id"] for s in services.lrs.list_statements(completed).statements}
        assert opened == {f"00000000-0000-4000-8000-{n:012d}" for n in (2, 3, 4, 5)}
        assert services.lrs.index_status().complete
        services.lrs.rebuild_index()
        assert {s["id"] for s in services.lrs.list_statements(completed).statements} == opened
    finally:
        services.close()
