"""The LearningRecordStore service on each storage engine: the write path and reads by id."""

from __future__ import annotations

import uuid

import pytest

from api.app import Services
from lrs.errors import BadRequestError, ConflictError, NotFoundError, StatementValidationError
from lrs.query import StatementQuery
from lrs.statement import Statement
from tests.conftest import AUTHORITY, statement


def count_events(services: Services) -> int:
    return services.lrs.recorder.max_notification_id() or 0


def test_stored_statement_reads_back_with_lrs_set_properties(services: Services) -> None:
    """Data 2.4.1, 2.4.7-2.4.10: the LRS sets id, stored, timestamp, authority and version."""
    [statement_id] = services.lrs.store_statements([statement()], AUTHORITY)
    got = services.lrs.get_statement(statement_id)
    assert uuid.UUID(got["id"]) and got["id"] == statement_id
    assert got["actor"] == statement()["actor"]
    assert got["authority"] == AUTHORITY
    assert got["version"] == "1.0.0"
    assert got["timestamp"] == got["stored"]
    assert got["stored"].endswith("Z")


def test_given_id_and_timestamp_are_kept(services: Services) -> None:
    """The given instant is kept, and given back in UTC (Data 4.5.s1.b6)."""
    sid = "1F3A4B5C-0000-4000-8000-00000000AAAA"
    [stored_id] = services.lrs.store_statements([statement(id=sid, timestamp="2026-03-13T09:00:00+00:00")], AUTHORITY)
    assert stored_id == sid.lower()
    assert services.lrs.get_statement(sid)["timestamp"] == "2026-03-13T09:00:00Z"


def test_same_id_same_content_stores_nothing_new(services: Services) -> None:
    """Communication 2.1.2: re-sending an identical statement succeeds without a second copy."""
    sid = str(uuid.uuid4())
    services.lrs.store_statements([statement(id=sid)], AUTHORITY)
    before = count_events(services)
    services.lrs.store_statements([statement(id=sid)], AUTHORITY)
    assert count_events(services) == before


def test_same_id_different_content_is_a_conflict(services: Services) -> None:
    sid = str(uuid.uuid4())
    services.lrs.store_statements([statement(id=sid)], AUTHORITY)
    other = statement(id=sid, actor={"mbox": "mailto:bob@example.org"})
    with pytest.raises(ConflictError):
        services.lrs.store_statements([other], AUTHORITY)


def test_batch_with_one_invalid_statement_stores_nothing(services: Services) -> None:
    batch = [statement(), statement(), statement(actor={"mbox": "bob@example.org"})]
    with pytest.raises(StatementValidationError) as raised:
        services.lrs.store_statements(batch, AUTHORITY)
    assert raised.value.path.startswith("statements[2].actor")
    assert count_events(services) == 0


def test_batch_with_a_conflict_stores_nothing(services: Services) -> None:
    sid = str(uuid.uuid4())
    services.lrs.store_statements([statement(id=sid)], AUTHORITY)
    before = count_events(services)
    with pytest.raises(ConflictError):
        services.lrs.store_statements([statement(), statement(id=sid, verb={"id": "http://x.example/v"})], AUTHORITY)
    assert count_events(services) == before


def test_batch_repeating_an_id_is_refused(services: Services) -> None:
    sid = str(uuid.uuid4())
    with pytest.raises(BadRequestError):
        services.lrs.store_statements([statement(id=sid), statement(id=sid)], AUTHORITY)
    assert count_events(services) == 0


def test_batch_is_stored_in_one_transaction_in_order(services: Services) -> None:
    ids = services.lrs.store_statements([statement() for _ in range(50)], AUTHORITY)
    page = services.lrs.list_statements(StatementQuery(ascending=True, limit=100))
    assert [s["id"] for s in page.statements] == ids


def test_unknown_statement_is_not_found(services: Services) -> None:
    with pytest.raises(NotFoundError):
        services.lrs.get_statement(str(uuid.uuid4()))


def test_statement_is_an_event_of_its_own_aggregate(services: Services) -> None:
    """Auditors replay history: the statement is an immutable event keyed by its id."""
    [sid] = services.lrs.store_statements([statement()], AUTHORITY)
    aggregate: Statement = services.lrs.repository.get(uuid.UUID(sid))
    assert aggregate.version == 1
    assert aggregate.document["id"] == sid


def test_stored_events_hold_no_identifier_in_clear(services: Services) -> None:
    """Personal data: mbox, name and account values never appear in the event payloads."""
    group = {
        "objectType": "Group", "name": "Team Red",
        "member": [{"account": {"homePage": "https://moodle.example", "name": "worker-4711"}, "name": "Carol Case"}],
    }
    services.lrs.store_statements(
        [statement(context={"instructor": {"openid": "https://id.example/dave", "name": "Dave Doe"}, "team": group})],
        AUTHORITY,
    )
    payload = b"".join(n.state for n in services.lrs.recorder.select_notifications(1, 100))
    for secret in (b"alice@example.org", b"Alice Example", b"worker-4711", b"Carol Case", b"id.example/dave", b"Dave Doe"):
        assert secret not in payload


def test_erasing_a_persons_key_leaves_their_statements_readable_but_anonymous(services: Services) -> None:
    [sid] = services.lrs.store_statements([statement()], AUTHORITY)
    with services.lrs.recorder.datastore.transaction(commit=True) as c:  # what the erase command will do
        c.execute("DELETE FROM slrs_persons WHERE identifier = 'mbox:mailto:alice@example.org'")
    got = services.lrs.get_statement(sid)
    assert "mbox" not in got["actor"] and "name" not in got["actor"]
    assert got["actor"]["account"]["homePage"] == "urn:slrs:erased"
    assert got["object"]["id"] == "https://lscp.example/courses/level-1"


def test_a_single_context_activity_comes_back_as_an_array(services: Services) -> None:
    """Data 2.4.6.2: contextActivities values are returned as arrays, in sub-statements too."""
    parent = {"id": "https://lscp.example/courses/level-2"}
    sub = {"objectType": "SubStatement", "actor": {"mbox": "mailto:x@example.org"},
           "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"}, "object": {"id": "https://lscp.example/a"},
           "context": {"contextActivities": {"grouping": parent}}}
    [sid] = services.lrs.store_statements([statement(object=sub, context={"contextActivities": {"parent": parent}})],
                                          AUTHORITY)
    got = services.lrs.get_statement(sid)
    assert got["context"]["contextActivities"]["parent"] == [parent]
    assert got["object"]["context"]["contextActivities"]["grouping"] == [parent]
    services.lrs.store_statements([statement(id=sid, object=sub, context={"contextActivities": {"parent": parent}})],
                                  AUTHORITY)  # the same statement again is no conflict
