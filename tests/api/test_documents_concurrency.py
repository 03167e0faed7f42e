"""ETags, If-Match and If-None-Match on the document resources (xAPI 1.0.3 Communication 3.1), on each engine."""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

import pytest

from lrs.documents.model import STATE as STATE_KIND
from lrs.documents.model import DocumentScope
from tests.api.documents import ACTIVITY_PROFILE, AGENT_PROFILE, ALICE, COURSE, STATE, Documents
from tests.api.documents import app_fixture, clock_fixture  # noqa: F401  (fixtures app and clock)
from tests.conftest import XAPIClient

RESOURCES: dict[str, dict[str, Any]] = {
    STATE: {"activityId": COURSE, "agent": ALICE},
    ACTIVITY_PROFILE: {"activityId": COURSE},
    AGENT_PROFILE: {"agent": ALICE},
}


@pytest.fixture(params=list(RESOURCES))
def documents(request: pytest.FixtureRequest, xapi: XAPIClient) -> Documents:
    """Each of the three document resources in turn."""
    return Documents(xapi, request.param, **RESOURCES[request.param])


def _id(documents: Documents) -> str:
    return "stateId" if documents.path == STATE else "profileId"


def write(documents: Documents, body: bytes, headers: dict[str, str] | None = None, method: str = "PUT") -> int:
    url = documents.url(**{_id(documents): "doc"})
    return int(documents.xapi.request(method, url, data=body,
                                      headers={"Content-Type": "application/json", **(headers or {})}).status_code)


def read(documents: Documents) -> Any:
    return documents.get(**{_id(documents): "doc"})


def test_if_match_with_the_current_etag_replaces_the_document(documents: Documents) -> None:
    assert write(documents, b'{"v": 1}', {"If-None-Match": "*"}) == 204
    etag = read(documents).headers["ETag"]
    assert write(documents, b'{"v": 2}', {"If-Match": etag}) == 204
    assert read(documents).get_json() == {"v": 2}


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_if_match_with_a_stale_etag_is_412_and_changes_nothing(documents: Documents, method: str) -> None:
    write(documents, b'{"v": 1}', {"If-None-Match": "*"})
    stale = read(documents).headers["ETag"]
    write(documents, b'{"v": 2}', {"If-Match": stale})
    response = documents.xapi.request(method, documents.url(**{_id(documents): "doc"}), data=b'{"v": 3}',
                                      headers={"Content-Type": "application/json", "If-Match": stale})
    assert response.status_code == 412
    assert "ETag" in response.get_json()["error"]["message"]
    assert read(documents).get_json() == {"v": 2}


def test_if_none_match_star_creates_but_never_overwrites(documents: Documents) -> None:
    assert write(documents, b'{"v": 1}', {"If-None-Match": "*"}) == 204
    assert write(documents, b'{"v": 2}', {"If-None-Match": "*"}) == 412
    assert write(documents, b'{"v": 2}', {"If-None-Match": "*"}, method="POST") == 412
    assert read(documents).get_json() == {"v": 1}


def test_if_match_on_a_document_not_stored_is_412(documents: Documents) -> None:
    assert write(documents, b'{"v": 1}', {"If-Match": '"' + "1" * 40 + '"'}) == 412
    assert write(documents, b'{"v": 1}', {"If-Match": "*"}) == 412
    assert read(documents).status_code == 404


def test_if_match_star_and_a_list_of_etags_hold_for_an_existing_document(documents: Documents) -> None:
    write(documents, b'{"v": 1}', {"If-None-Match": "*"})
    etag = read(documents).headers["ETag"]
    assert write(documents, b'{"v": 2}', {"If-Match": "*"}) == 204
    current = read(documents).headers["ETag"]
    assert write(documents, b'{"v": 3}', {"If-Match": f'{etag}, W/{current}'}) == 204


def test_if_none_match_with_the_current_etag_is_412(documents: Documents) -> None:
    write(documents, b'{"v": 1}', {"If-None-Match": "*"})
    etag = read(documents).headers["ETag"]
    assert write(documents, b'{"v": 2}', {"If-None-Match": etag}) == 412
    assert write(documents, b'{"v": 2}', {"If-None-Match": '"' + "0" * 40 + '"'}) == 204


def test_the_etag_is_the_quoted_lower_case_sha1_of_the_content(documents: Documents) -> None:
    """Communication 3.1: hexadecimal SHA-1 of the contents, in quotes."""
    write(documents, b'{"v": 1}', {"If-None-Match": "*"})
    digest = hashlib.sha1(b'{"v": 1}').hexdigest()
    assert read(documents).headers["ETag"] == f'"{digest}"'


def test_a_state_put_needs_no_concurrency_header(xapi: XAPIClient) -> None:
    """Communication 3.1: the State resource permits writes without them."""
    state = Documents(xapi, STATE, **RESOURCES[STATE])
    assert write(state, b'{"v": 1}') == 204
    assert write(state, b'{"v": 2}') == 204
    assert read(state).get_json() == {"v": 2}


def test_concurrent_merges_each_land_in_the_document(app: Any) -> None:
    """Two writers posting at once: the one that loses the race reads again and merges, so nothing is lost."""
    store = app.extensions["slrs"].lrs.documents
    key = DocumentScope(STATE_KIND, COURSE, ALICE).key("together")
    errors: list[BaseException] = []

    def post(writer: int) -> None:
        try:
            for n in range(10):
                store.post_document(key, json.dumps({f"w{writer}-{n}": n}).encode(), "application/json")
        except BaseException as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=post, args=(writer,)) for writer in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(json.loads(store.get_document(key).content)) == 30


def test_head_gives_the_etag_and_last_modified_of_get_without_the_body(documents: Documents) -> None:
    """Communication 1.1 and 3.1 on each resource: HEAD is GET without the body, ETag and all."""
    write(documents, b'{"v": 1}', {"If-None-Match": "*"})
    got, head = read(documents), documents.head(**{_id(documents): "doc"})
    assert (head.status_code, head.data) == (200, b"")
    assert head.headers["ETag"] == got.headers["ETag"]
    assert head.headers["Last-Modified"] == got.headers["Last-Modified"]
    assert documents.head().status_code == 200
