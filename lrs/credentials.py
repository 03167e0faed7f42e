"""Credentials of clients of the LRS: HTTP Basic key and secret, xAPI scopes, an agency binding.

Secrets are kept only as salted scrypt hashes and compared in constant time.
Every change (created, revoked) is an event, like everything else.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError

from kernel.persistence import Storage
from lrs.errors import LRSError

# xAPI 1.0.3 Communication 4.2 (OAuth scopes), used here for Basic credentials too,
# and the training records' own: records/read, records/write, reports/read, audit/read.
SCOPES = frozenset(
    {"statements/write", "statements/read", "statements/read/mine", "all/read", "all", "state", "profile", "define",
     "records/read", "records/write", "reports/read", "audit/read"}
)
CREDENTIAL_NAMESPACE = uuid.UUID("6f0c1c4e-2f57-4c52-9a52-6c9b3f2b2f11")
AUTHORITY_HOME_PAGE = "https://safeguarding-lrs.invalid/credentials"
PARTNERSHIP = None  # a credential bound to no agency speaks for the whole partnership
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class CredentialError(LRSError):
    """A credential cannot be created or changed as asked."""


def hash_secret(secret: str) -> str:
    """A salted scrypt hash: slow on purpose, so a leaked table resists guessing."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, hashed: str) -> bool:
    _, n, r, p, salt, digest = hashed.split("$")
    candidate = hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(candidate, bytes.fromhex(digest))


class Credential(Aggregate):
    """One client's key, hashed secret, scopes and the agency it speaks for."""

    @event("Created")
    def __init__(self, id: uuid.UUID, key: str, secret_hash: str,  # noqa: A002
                 scopes: list[str], agency: str | None) -> None:
        self.key = key
        self.secret_hash = secret_hash
        self.scopes = scopes
        self.agency = agency
        self.revoked = False

    @event("Revoked")
    def revoke(self) -> None:
        self.revoked = True


@dataclass(frozen=True)
class CredentialInfo:
    """What the rest of the system may know of a credential (never its secret)."""

    key: str
    scopes: frozenset[str]
    agency: str | None
    revoked: bool

    @property
    def authority(self) -> dict[str, Any]:
        """The xAPI authority of statements stored with this credential (Data 2.4.9)."""
        return {"objectType": "Agent", "account": {"homePage": AUTHORITY_HOME_PAGE, "name": self.key}}

    def allows(self, *scopes: str) -> bool:
        return bool(self.scopes & set(scopes))


def credential_id(key: str) -> uuid.UUID:
    return uuid.uuid5(CREDENTIAL_NAMESPACE, key)


class Credentials(Application[uuid.UUID]):
    """Creates, lists, revokes and checks credentials.

    Built from a deployment's environment (os.environ if None) as
    `kernel.persistence.Storage` reads it: its own file `credentials.sqlite`,
    or tables on PostgreSQL, or the library's memory. Raises ConfigurationError
    for an unknown PERSISTENCE_MODULE.
    """

    name = "Credentials"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(Storage.from_env(env).app_env("credentials"))
        self._verified: dict[tuple[uuid.UUID, str], bytes] = {}

    def create_credential(self, key: str, secret: str, scopes: Iterable[str], agency: str | None = PARTNERSHIP) -> CredentialInfo:
        scopes = sorted(set(scopes))
        unknown = set(scopes) - SCOPES
        if not key or not secret:
            raise CredentialError("a credential needs a non-empty key and secret")
        if ":" in key:
            raise CredentialError("a key cannot contain ':' (HTTP Basic splits on it)")
        if unknown or not scopes:
            raise CredentialError(f"unknown or no scopes {sorted(unknown)}; choose from {sorted(SCOPES)}")
        credential = Credential(id=credential_id(key), key=key, secret_hash=hash_secret(secret),
                                scopes=scopes, agency=agency)
        try:
            self.save(credential)
        except IntegrityError as error:
            raise CredentialError(f"a credential with key {key!r} exists already") from error
        return self._info(credential)

    def revoke_credential(self, key: str) -> None:
        credential = self._get(key)
        if credential is None:
            raise CredentialError(f"no credential has key {key!r}")
        if not credential.revoked:
            credential.revoke()
            self.save(credential)

    def list_credentials(self) -> list[CredentialInfo]:
        ids: list[uuid.UUID] = []
        start = 1
        while page := self.recorder.select_notifications(start, 1000):
            ids.extend(n.originator_id for n in page if n.originator_version == 1)  # type: ignore[misc]
            start = page[-1].id + 1
        return sorted((self._info(self.repository.get(i)) for i in ids), key=lambda c: c.key)

    def authenticate(self, key: str, secret: str) -> CredentialInfo | None:
        """The credential if key and secret match and it is not revoked, else None.

        The slow hash is checked once per process per (credential, secret); later
        requests compare a fast keyed digest, and the revoked flag is read fresh.
        """
        credential = self._get(key)
        if credential is None or credential.revoked:
            return None
        cache_key = (credential.id, credential.secret_hash)
        fast = hmac.new(credential.secret_hash.encode(), secret.encode(), hashlib.sha256).digest()
        known = self._verified.get(cache_key)
        if known is None:
            if not verify_secret(secret, credential.secret_hash):
                return None
            self._verified[cache_key] = fast
        elif not hmac.compare_digest(known, fast):
            return None
        return self._info(credential)

    def find(self, key: str) -> CredentialInfo | None:
        """The credential of `key` (revoked or not), or None; no secret is checked (a signed session holds the key)."""
        credential = self._get(key)
        return None if credential is None else self._info(credential)

    def _get(self, key: str) -> Credential | None:
        try:
            return self.repository.get(credential_id(key))  # type: ignore[return-value]
        except AggregateNotFoundError:
            return None

    @staticmethod
    def _info(credential: Any) -> CredentialInfo:
        return CredentialInfo(credential.key, frozenset(credential.scopes), credential.agency, credential.revoked)
