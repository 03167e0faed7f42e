"""`LearningRecordStore.unseal_statements`: a follower of the log reads who did what, and nothing of the erased."""

from __future__ import annotations

from api.app import Services
from kernel.keys import Identifier
from tests.conftest import AUTHORITY, statement


def decoded_log(services: Services) -> list[dict[str, object]]:
    lrs = services.lrs
    return [lrs.decode_statement(n) for n in lrs.recorder.select_notifications(1, 100)
            if n.topic in lrs.statement_topics]


def test_a_decoded_statement_unseals_to_the_actor_as_posted(services: Services) -> None:
    services.lrs.store_statements([statement()], AUTHORITY)
    [sealed] = decoded_log(services)
    assert "mbox" not in str(sealed["actor"])
    [unsealed] = services.lrs.unseal_statements([sealed])
    assert unsealed["actor"] == statement()["actor"]
    assert unsealed["verb"] == sealed["verb"]


def test_an_erased_person_unseals_as_an_anonymous_account(services: Services) -> None:
    services.lrs.store_statements([statement()], AUTHORITY)
    services.lrs.persons.erase(Identifier("mbox:mailto:alice@example.org"))
    [unsealed] = services.lrs.unseal_statements(decoded_log(services))
    assert unsealed["actor"]["account"]["homePage"] == "urn:slrs:erased"
    assert "mbox" not in unsealed["actor"]
