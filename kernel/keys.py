"""Per-person keys: personal values sealed with a key of their own, so erasing the key erases the person.

Both contexts keep personal data this way: the LRS seals an agent's identifying
values, the training records seal a worker's name and email. Events carry a
pseudonym and ciphertext (AES-256-GCM, the pseudonym as associated data); the
keys live outside the event store in a mutable table, one row per person.
Deleting a person's row leaves every event intact but that person unreadable.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NewType, Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kernel.sql import Dialect

Pseudonym = NewType("Pseudonym", str)
Identifier = NewType("Identifier", str)


@dataclass(frozen=True)
class Person:
    """A pseudonym and the 256-bit key that seals that person's values."""

    pseudonym: Pseudonym
    key: bytes


def new_person() -> Person:
    """A fresh random pseudonym and a fresh 256-bit key."""
    return Person(Pseudonym(os.urandom(16).hex()), AESGCM.generate_key(bit_length=256))


class PersonKeys(Protocol):
    """Storage of identifier -> pseudonym and pseudonym -> key, outside the events."""

    def ensure_persons(self, identifiers: Iterable[Identifier]) -> dict[Identifier, Person]:
        """The person of each identifier, creating those not yet known."""
        ...

    def find_pseudonym(self, identifier: Identifier) -> Pseudonym | None:
        """The pseudonym of an identifier, or None if never seen (or erased)."""
        ...

    def find_keys(self, pseudonyms: Iterable[Pseudonym]) -> dict[Pseudonym, bytes]:
        """The keys still held for these pseudonyms (erased ones are absent)."""
        ...

    def erase(self, identifier: Identifier) -> bool:
        """Forget the person's key for good; True if there was one."""
        ...


class Sealing:
    """AES-GCM sealing of one person's bytes under their key, with a cache of ciphers."""

    def __init__(self) -> None:
        self._ciphers: dict[bytes, AESGCM] = {}

    def cipher(self, key: bytes) -> AESGCM:
        cipher = self._ciphers.get(key)
        if cipher is None:
            if len(self._ciphers) > 100_000:
                self._ciphers.clear()
            cipher = self._ciphers[key] = AESGCM(key)
        return cipher

    def seal(self, person: Person, plaintext: bytes) -> str:
        """Base64 of nonce + ciphertext; the pseudonym is bound in as associated data."""
        nonce = os.urandom(12)
        ciphertext = self.cipher(person.key).encrypt(nonce, plaintext, person.pseudonym.encode())
        return base64.b64encode(nonce + ciphertext).decode()

    def unseal(self, pseudonym: Pseudonym, key: bytes, sealed: str) -> bytes:
        """The plaintext sealed by `seal`; raises cryptography's InvalidTag if it was altered."""
        blob = base64.b64decode(sealed)
        return self.cipher(key).decrypt(blob[:12], blob[12:], pseudonym.encode())


class InMemoryPersonKeys:
    """Person keys in a dict: for applications on the library's in-memory persistence."""

    def __init__(self) -> None:
        self._by_identifier: dict[Identifier, Person] = {}

    def ensure_persons(self, identifiers: Iterable[Identifier]) -> dict[Identifier, Person]:
        wanted = set(identifiers)  # read once: a generator would be empty the second time
        for identifier in wanted:
            self._by_identifier.setdefault(identifier, new_person())
        return {i: self._by_identifier[i] for i in wanted}

    def find_pseudonym(self, identifier: Identifier) -> Pseudonym | None:
        person = self._by_identifier.get(identifier)
        return person.pseudonym if person else None

    def find_keys(self, pseudonyms: Iterable[Pseudonym]) -> dict[Pseudonym, bytes]:
        wanted = set(pseudonyms)
        return {p.pseudonym: p.key for p in self._by_identifier.values() if p.pseudonym in wanted}

    def erase(self, identifier: Identifier) -> bool:
        return self._by_identifier.pop(identifier, None) is not None


def create_person_table(dialect: Dialect, table: str) -> str:
    """DDL of a person-key table, safe to run again."""
    return f"""CREATE TABLE IF NOT EXISTS {table} (
            pseudonym TEXT PRIMARY KEY,
            identifier TEXT NOT NULL UNIQUE,
            secret {dialect.blob} NOT NULL)"""


class SQLPersonKeys:
    """Pseudonyms and keys in a SQL table of the application's own database, with a per-process cache."""

    def __init__(self, datastore: Any, dialect: Dialect, table: str) -> None:
        self.datastore = datastore
        self.dialect = dialect
        self.table = table
        self._by_identifier: dict[Identifier, Person] = {}

    def ensure_persons(self, identifiers: Iterable[Identifier]) -> dict[Identifier, Person]:
        wanted = set(identifiers)
        found = {i: self._by_identifier[i] for i in wanted if i in self._by_identifier}
        missing = sorted(wanted - found.keys())
        if missing:
            candidates = [(p.pseudonym, i, p.key) for i, p in ((i, new_person()) for i in missing)]
            insert = (f"INSERT INTO {self.table} (pseudonym, identifier, secret) VALUES (?,?,?) "
                      "ON CONFLICT (identifier) DO NOTHING")
            with self.datastore.transaction(commit=True) as c:
                c.executemany(self.dialect.sql(insert), candidates)
            # Another process may have won the race for an identifier: read back.
            found.update(self._select(missing))
            self._remember(found)
        return found

    def find_pseudonym(self, identifier: Identifier) -> Pseudonym | None:
        if identifier in self._by_identifier:
            return self._by_identifier[identifier].pseudonym
        person = self._select([identifier]).get(identifier)
        return person.pseudonym if person else None

    def find_keys(self, pseudonyms: Iterable[Pseudonym]) -> dict[Pseudonym, bytes]:
        wanted = list(set(pseudonyms))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self.dialect.fetch(
            self.datastore, f"SELECT pseudonym, secret FROM {self.table} WHERE pseudonym IN ({marks})", wanted
        )
        return {Pseudonym(r["pseudonym"]): bytes(r["secret"]) for r in rows}

    def erase(self, identifier: Identifier) -> bool:
        self._by_identifier.pop(identifier, None)
        held = bool(self._select([identifier]))
        with self.datastore.transaction(commit=True) as c:
            c.execute(self.dialect.sql(f"DELETE FROM {self.table} WHERE identifier = ?"), [identifier])
        return held

    def _select(self, identifiers: list[Identifier]) -> dict[Identifier, Person]:
        marks = ",".join("?" * len(identifiers))
        sql = f"SELECT pseudonym, identifier, secret FROM {self.table} WHERE identifier IN ({marks})"
        return {
            Identifier(r["identifier"]): Person(Pseudonym(r["pseudonym"]), bytes(r["secret"]))
            for r in self.dialect.fetch(self.datastore, sql, identifiers)
        }

    def _remember(self, persons: dict[Identifier, Person]) -> None:
        if len(self._by_identifier) > 200_000:
            self._by_identifier.clear()
        self._by_identifier.update(persons)
