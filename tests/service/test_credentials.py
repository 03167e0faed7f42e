"""Credentials: hashed secrets, scopes, agency binding, revocation, on each engine."""

from __future__ import annotations

import pytest

from api.app import Services
from lrs.credentials import CredentialError


def test_secret_is_stored_only_as_a_salted_hash(services: Services) -> None:
    services.credentials.create_credential("moodle", "s3cret-value", ["statements/write"])
    payload = b"".join(n.state for n in services.credentials.recorder.select_notifications(1, 10))
    assert b"s3cret-value" not in payload
    assert b"scrypt$" in payload


def test_authenticate_checks_key_secret_and_revocation(services: Services) -> None:
    services.credentials.create_credential("moodle", "s3cret", ["statements/write"], agency="police")
    info = services.credentials.authenticate("moodle", "s3cret")
    assert info is not None and info.agency == "police" and info.allows("statements/write")
    assert services.credentials.authenticate("moodle", "wrong") is None
    assert services.credentials.authenticate("nobody", "s3cret") is None
    services.credentials.revoke_credential("moodle")
    assert services.credentials.authenticate("moodle", "s3cret") is None


def test_key_can_be_created_once(services: Services) -> None:
    services.credentials.create_credential("moodle", "a", ["all"])
    with pytest.raises(CredentialError):
        services.credentials.create_credential("moodle", "b", ["all"])


def test_unknown_scope_is_refused(services: Services) -> None:
    with pytest.raises(CredentialError):
        services.credentials.create_credential("moodle", "a", ["everything"])


def test_list_shows_each_credential_and_its_state(services: Services) -> None:
    services.credentials.create_credential("b-key", "a", ["all"])
    services.credentials.create_credential("a-key", "a", ["statements/read"], agency="health")
    services.credentials.revoke_credential("b-key")
    listed = [(c.key, c.revoked, c.agency) for c in services.credentials.list_credentials()]
    assert listed == [("a-key", False, "health"), ("b-key", True, None)]
