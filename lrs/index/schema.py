"""Tables of the statement index, of the person keys and of the LRS's settings, for SQLite and PostgreSQL.

`seq` is the notification id of the statement's event in the event log, so
the index orders statements exactly as the log does and can be rebuilt from it.
`stored` is given under the writers' lock, so it never decreases along `seq`.
A rebuild writes a second set of index tables beside the first (`suffix`),
then swaps them in (`lrs.index.rebuild`).
"""

from __future__ import annotations

from kernel.keys import create_person_table
from kernel.sql import Dialect
from lrs.index.canonical import CANONICAL_TABLES, create_canonical_tables
from lrs.documents.index import create_document_tables
from lrs.settings import create_settings_table

PERSON_TABLE = "slrs_persons"  # kernel.keys: identifier -> pseudonym and key, outside the event store

INDEX_TABLES = ("slrs_statements", "slrs_statement_agents", "slrs_statement_activities", "slrs_statement_chains",
                *CANONICAL_TABLES)
# Lookup indexes a rebuild makes once, at the end, as in any bulk load: name -> what it indexes.
LOOKUP_INDEXES = {
    "slrs_statements_verb": "slrs_statements (verb_id, seq)",
    "slrs_statements_activity": "slrs_statements (activity_id, seq)",
    "slrs_statements_registration": "slrs_statements (registration, seq)",
    "slrs_statements_stored": "slrs_statements (stored, seq)",
}
# Indexes the writing itself needs (voiding and chains look statements up by their targets).
WRITE_INDEXES = {
    "slrs_statements_ref": "slrs_statements (ref_target) WHERE ref_target IS NOT NULL",
    "slrs_statement_chains_target": "slrs_statement_chains (target)",
}
# The few statements that refer to another, newest first, for Communication 2.1.3's rule.
QUERY_INDEXES = {"slrs_statements_referring": "slrs_statements (seq) WHERE ref_target IS NOT NULL"}


def create_tables(d: Dialect, suffix: str = "") -> list[str]:
    """DDL of the index tables (named with `suffix`), safe to run again."""
    return [
        f"""CREATE TABLE IF NOT EXISTS slrs_statements{suffix} (
            seq {d.bigint} PRIMARY KEY,
            statement_id TEXT NOT NULL UNIQUE,
            stored TEXT NOT NULL,
            verb_id TEXT NOT NULL,
            activity_id TEXT,
            ref_target TEXT,
            registration TEXT,
            is_voiding SMALLINT NOT NULL,
            voided SMALLINT NOT NULL DEFAULT 0)""",
        f"""CREATE TABLE IF NOT EXISTS slrs_statement_agents{suffix} (
            seq {d.bigint} NOT NULL,
            person TEXT NOT NULL,
            role CHAR(1) NOT NULL,
            PRIMARY KEY (person, role, seq)){d.clustered}""",
        f"""CREATE TABLE IF NOT EXISTS slrs_statement_activities{suffix} (
            seq {d.bigint} NOT NULL,
            activity_id TEXT NOT NULL,
            role CHAR(1) NOT NULL,
            PRIMARY KEY (activity_id, role, seq)){d.clustered}""",
        # Communication 2.1.3: every statement a referring statement reaches through its chain of
        # StatementRefs (its target, the target's target, ...), kept as statements arrive.
        f"""CREATE TABLE IF NOT EXISTS slrs_statement_chains{suffix} (
            seq {d.bigint} NOT NULL,
            target TEXT NOT NULL,
            PRIMARY KEY (seq, target)){d.clustered}""",
        *create_canonical_tables(d, suffix),
    ]


def create_indexes(indexes: dict[str, str], suffix: str = "") -> list[str]:
    """DDL of `indexes` on the tables named with `suffix`, safe to run again."""
    out = []
    for name, target in indexes.items():
        table, _, rest = target.partition(" ")
        out.append(f"CREATE INDEX IF NOT EXISTS {name}{suffix} ON {table}{suffix} {rest}")
    return out


def create_statements(d: Dialect) -> list[str]:
    """DDL of everything the LRS keeps beside its events, safe to run again (IF NOT EXISTS throughout)."""
    return [
        *create_tables(d),
        *create_indexes({**LOOKUP_INDEXES, **WRITE_INDEXES, **QUERY_INDEXES}),
        create_person_table(d, PERSON_TABLE),
        create_settings_table(d),
        *create_document_tables(d),
    ]
