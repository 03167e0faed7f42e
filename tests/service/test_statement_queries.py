"""Filtered queries of the statement index (xAPI 1.0.3 Communication 2.1.3), on each engine."""

from __future__ import annotations

import uuid
from typing import Any

from api.app import Services
from lrs.query import StatementQuery
from tests.conftest import AUTHORITY, statement

ALICE = {"mbox": "mailto:alice@example.org"}
BOB = {"account": {"homePage": "https://moodle.example", "name": "42"}}
ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
COURSE = "https://lscp.example/courses/level-2"
REG = "0d1e3b9f-8a4f-4c43-9a6a-2b0f6e3f0c11"


def store(services: Services, *statements: dict[str, Any]) -> list[str]:
    return services.lrs.store_statements(list(statements), AUTHORITY)


def ids(services: Services, **filters: Any) -> list[str]:
    if "agent" in filters:
        filters["agent"] = services.lrs.find_person(filters["agent"]) or "unknown"
    return [s["id"] for s in services.lrs.list_statements(StatementQuery(**filters)).statements]


def test_newest_first_unless_ascending(services: Services) -> None:
    first, second = store(services, statement(), statement())
    assert ids(services) == [second, first]
    assert ids(services, ascending=True) == [first, second]


def test_agent_filter_matches_actor_or_object_only(services: Services) -> None:
    as_actor, as_object, as_instructor = store(
        services,
        statement(actor=ALICE),
        statement(actor=BOB, object={"objectType": "Agent", **ALICE}),
        statement(actor=BOB, context={"instructor": ALICE}),
    )
    assert sorted(ids(services, agent=ALICE)) == sorted([as_actor, as_object])
    assert sorted(ids(services, agent=ALICE, related_agents=True)) == sorted([as_actor, as_object, as_instructor])


def test_agent_filter_with_unknown_agent_matches_nothing(services: Services) -> None:
    store(services, statement())
    assert services.lrs.find_person({"mbox": "mailto:nobody@example.org"}) is None


def test_verb_activity_and_registration_filters(services: Services) -> None:
    attended, in_course, registered, other = store(
        services,
        statement(verb={"id": ATTENDED}),
        statement(object={"id": COURSE}),
        statement(context={"registration": REG}),
        statement(),
    )
    assert ids(services, verb=ATTENDED) == [attended]
    assert ids(services, activity=COURSE) == [in_course]
    assert ids(services, registration=REG) == [registered]


def test_related_activities_reach_context_activities(services: Services) -> None:
    [child] = store(services, statement(context={"contextActivities": {"parent": [{"id": COURSE}]}}))
    assert ids(services, activity=COURSE) == []
    assert ids(services, activity=COURSE, related_activities=True) == [child]


def test_since_is_exclusive_and_until_inclusive(services: Services) -> None:
    first, second, third = (store(services, statement())[0] for _ in range(3))
    stored = {sid: services.lrs.get_statement(sid)["stored"] for sid in (first, second, third)}
    assert ids(services, since=stored[first], ascending=True) == [second, third]
    assert ids(services, until=stored[second], ascending=True) == [first, second]


def test_limit_and_more_page_through_everything_once(services: Services) -> None:
    stored = store(services, *(statement() for _ in range(7)))
    seen: list[str] = []
    query: StatementQuery | None = StatementQuery(limit=3)
    while query is not None:
        page = services.lrs.list_statements(query)
        seen.extend(s["id"] for s in page.statements)
        query = page.more
        store(services, statement())  # arrivals while paging do not shift the pages
    assert seen == list(reversed(stored))


def test_voided_statement_is_hidden_from_queries_but_found_by_voided_id(services: Services) -> None:
    [target] = store(services, statement(verb={"id": ATTENDED}))
    [voiding] = store(services, statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target}))
    assert target not in ids(services)
    assert services.lrs.get_statement(target, voided=True)["id"] == target
    # the voiding statement refers to an attended statement, so it meets verb=attended (2.1.3)
    assert ids(services, verb=ATTENDED) == [voiding]


def test_voiding_before_the_target_arrives_takes_effect_on_arrival(services: Services) -> None:
    target = str(uuid.uuid4())
    store(services, statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target}))
    store(services, statement(id=target))
    assert target not in ids(services)
    assert services.lrs.get_statement(target, voided=True)["id"] == target


def test_voiding_a_voiding_statement_voids_nothing(services: Services) -> None:
    [target] = store(services, statement())
    ref = {"objectType": "StatementRef", "id": target}
    [first_void] = store(services, statement(verb={"id": VOIDED}, object=ref))
    store(services, statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": first_void}))
    assert first_void in ids(services)
    assert services.lrs.get_statement(target, voided=True)["id"] == target


def test_format_ids_keeps_only_identifiers(services: Services) -> None:
    store(services, statement(actor={**ALICE, "name": "Alice"}))
    [got] = services.lrs.list_statements(StatementQuery(format="ids")).statements
    assert got["actor"] == ALICE
    assert got["verb"] == {"id": statement()["verb"]["id"]}
    assert got["object"] == {"id": statement()["object"]["id"]}


def test_format_canonical_keeps_one_language(services: Services) -> None:
    store(services, statement(verb={"id": ATTENDED, "display": {"en-GB": "attended", "cy": "mynychu"}}))
    [got] = services.lrs.list_statements(StatementQuery(format="canonical"), languages=["cy"]).statements
    assert got["verb"]["display"] == {"cy": "mynychu"}


def test_read_mine_sees_only_its_own_authority(services: Services) -> None:
    other = {"objectType": "Agent", "account": {"homePage": "https://lrs.example/credentials", "name": "other"}}
    [mine] = store(services, statement())
    services.lrs.store_statements([statement()], other)
    me = services.lrs.find_person(AUTHORITY)
    assert [s["id"] for s in services.lrs.list_statements(StatementQuery(authority=me)).statements] == [mine]


def test_index_rebuilt_from_the_events_answers_queries_as_before(services: Services) -> None:
    """The index is a read model: dropped and rebuilt from the log, queries give the same answers."""
    [target] = store(services, statement(verb={"id": ATTENDED}))
    store(services, statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target}))
    store(services, statement(actor=BOB, context={"registration": REG}), statement(object={"id": COURSE}))
    queries: list[dict[str, Any]] = [{}, {"verb": ATTENDED}, {"registration": REG}, {"activity": COURSE}, {"agent": BOB}]
    before = [ids(services, **dict(q)) for q in queries]
    with services.lrs.recorder.datastore.transaction(commit=True) as c:
        c.execute("DELETE FROM slrs_statements")
    assert ids(services) == []
    assert services.lrs.rebuild_index(page_size=2) == 4
    assert [ids(services, **dict(q)) for q in queries] == before
    assert services.lrs.get_statement(target, voided=True)["id"] == target
