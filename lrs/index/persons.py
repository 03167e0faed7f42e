"""The person registry in SQL: identifier -> pseudonym and key, outside the event store."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lrs.index.schema import Dialect
from lrs.personal import Identifier, Person, Pseudonym, new_person

INSERT = (
    "INSERT INTO slrs_persons (pseudonym, identifier, secret) VALUES (?,?,?) "
    "ON CONFLICT (identifier) DO NOTHING"
)


class SQLPersonRegistry:
    """Pseudonyms and keys in the `slrs_persons` table, with a per-process cache."""

    def __init__(self, datastore: Any, dialect: Dialect) -> None:
        self.datastore = datastore
        self.dialect = dialect
        self._by_identifier: dict[Identifier, Person] = {}

    def ensure_persons(self, identifiers: Iterable[Identifier]) -> dict[Identifier, Person]:
        wanted = set(identifiers)
        found = {i: self._by_identifier[i] for i in wanted if i in self._by_identifier}
        missing = sorted(wanted - found.keys())
        if missing:
            candidates = [(p.pseudonym, i, p.key) for i, p in ((i, new_person()) for i in missing)]
            with self.datastore.transaction(commit=True) as c:
                c.executemany(self.dialect.sql(INSERT), candidates)
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
            self.datastore, f"SELECT pseudonym, secret FROM slrs_persons WHERE pseudonym IN ({marks})", wanted
        )
        return {Pseudonym(r["pseudonym"]): bytes(r["secret"]) for r in rows}

    def _select(self, identifiers: list[Identifier]) -> dict[Identifier, Person]:
        marks = ",".join("?" * len(identifiers))
        sql = f"SELECT pseudonym, identifier, secret FROM slrs_persons WHERE identifier IN ({marks})"
        return {
            Identifier(r["identifier"]): Person(Pseudonym(r["pseudonym"]), bytes(r["secret"]))
            for r in self.dialect.fetch(self.datastore, sql, identifiers)
        }

    def _remember(self, persons: dict[Identifier, Person]) -> None:
        if len(self._by_identifier) > 200_000:
            self._by_identifier.clear()
        self._by_identifier.update(persons)
