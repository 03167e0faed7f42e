"""Sealing agents with per-person keys: given a statement, when sealed, then no identity is readable."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kernel.keys import Identifier, Person, new_person
from lrs.personal import ERASED_HOME_PAGE, Sealer, identifiers_in, pseudonyms_in

STATEMENT = {
    "actor": {"objectType": "Group", "name": "Team Red", "mbox": "mailto:team@example.org",
              "member": [{"mbox": "mailto:alice@example.org", "name": "Alice"}]},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
    "object": {"objectType": "SubStatement", "actor": {"openid": "https://id.example/bob"},
               "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
               "object": {"objectType": "Agent", "account": {"homePage": "https://m.example", "name": "7"}}},
    "context": {"instructor": {"mbox_sha1sum": "a" * 40}},
}


def persons_for(statement: Mapping[str, Any]) -> dict[Identifier, Person]:
    return {identifier: new_person() for identifier in identifiers_in(statement)}


def test_every_agent_position_yields_its_identifier() -> None:
    assert identifiers_in(STATEMENT) == {
        "mbox:mailto:team@example.org", "mbox:mailto:alice@example.org", "openid:https://id.example/bob",
        "account:https://m.example 7", "mbox_sha1sum:" + "a" * 40,
    }


def test_sealed_statement_holds_no_identifier_and_unseals_to_the_original() -> None:
    persons = persons_for(STATEMENT)
    sealer = Sealer()
    sealed = sealer.seal(STATEMENT, persons)
    text = json.dumps(sealed)
    for secret in ("team@example.org", "Team Red", "alice@", "Alice", "id.example/bob", "https://m.example", "a" * 40):
        assert secret not in text
    keys = {p.pseudonym: p.key for p in persons.values()}
    assert pseudonyms_in(sealed) == set(keys)
    assert sealer.unseal(sealed, keys) == STATEMENT


def test_without_a_persons_key_only_that_person_is_anonymous() -> None:
    persons = persons_for(STATEMENT)
    sealer = Sealer()
    sealed = sealer.seal(STATEMENT, persons)
    alice = persons[Identifier("mbox:mailto:alice@example.org")]
    keys = {p.pseudonym: p.key for p in persons.values() if p is not alice}
    unsealed = sealer.unseal(sealed, keys)
    assert unsealed["actor"]["member"] == [{"account": {"homePage": ERASED_HOME_PAGE, "name": alice.pseudonym}}]
    assert unsealed["actor"]["mbox"] == "mailto:team@example.org"
    assert unsealed["object"]["actor"] == {"openid": "https://id.example/bob"}


def test_an_identical_agent_seals_to_the_same_ciphertext_and_another_person_does_not() -> None:
    statement = {"actor": {"mbox": "mailto:alice@example.org"}, "verb": {"id": "http://x.example/v"},
                 "object": {"id": "http://x.example/a"}}
    persons = persons_for(statement)
    sealer = Sealer()
    first = sealer.seal(statement, persons)["actor"]
    again = sealer.seal(statement, persons)["actor"]
    other = Sealer().seal(statement, persons_for(statement))["actor"]
    assert first == again
    assert first["@sealed"] != other["@sealed"]
