"""Tables of the statement index and of the person keys, for SQLite and PostgreSQL.

`seq` is the notification id of the statement's event in the event log, so
the index orders statements exactly as the log does and can be rebuilt from it.
`stored` is given under the writers' lock, so it never decreases along `seq`.
"""

from __future__ import annotations

from kernel.keys import create_person_table
from kernel.sql import Dialect

PERSON_TABLE = "slrs_persons"  # kernel.keys: identifier -> pseudonym and key, outside the event store

INDEX_TABLES = ("slrs_statements", "slrs_statement_agents", "slrs_statement_activities")
# Lookup indexes a rebuild drops and makes again; the voiding rule needs the ref indexes throughout.
BULK_LOAD_DROPPED = ("slrs_statements_verb", "slrs_statements_activity", "slrs_statements_registration",
                     "slrs_statements_stored")


def create_statements(d: Dialect) -> list[str]:
    """DDL, safe to run again (IF NOT EXISTS throughout)."""
    return [
        f"""CREATE TABLE IF NOT EXISTS slrs_statements (
            seq {d.bigint} PRIMARY KEY,
            statement_id TEXT NOT NULL UNIQUE,
            stored TEXT NOT NULL,
            verb_id TEXT NOT NULL,
            activity_id TEXT,
            ref_target TEXT,
            registration TEXT,
            is_voiding SMALLINT NOT NULL,
            voided SMALLINT NOT NULL DEFAULT 0)""",
        "CREATE INDEX IF NOT EXISTS slrs_statements_verb ON slrs_statements (verb_id, seq)",
        "CREATE INDEX IF NOT EXISTS slrs_statements_activity ON slrs_statements (activity_id, seq)",
        "CREATE INDEX IF NOT EXISTS slrs_statements_registration ON slrs_statements (registration, seq)",
        "CREATE INDEX IF NOT EXISTS slrs_statements_stored ON slrs_statements (stored, seq)",
        "CREATE INDEX IF NOT EXISTS slrs_statements_ref ON slrs_statements (ref_target) "
        "WHERE ref_target IS NOT NULL",
        # the few statements that refer to another, newest first, for Communication 2.1.3's rule
        "CREATE INDEX IF NOT EXISTS slrs_statements_referring ON slrs_statements (seq) "
        "WHERE ref_target IS NOT NULL",
        f"""CREATE TABLE IF NOT EXISTS slrs_statement_agents (
            seq {d.bigint} NOT NULL,
            person TEXT NOT NULL,
            role CHAR(1) NOT NULL,
            PRIMARY KEY (person, role, seq)){d.clustered}""",
        f"""CREATE TABLE IF NOT EXISTS slrs_statement_activities (
            seq {d.bigint} NOT NULL,
            activity_id TEXT NOT NULL,
            role CHAR(1) NOT NULL,
            PRIMARY KEY (activity_id, role, seq)){d.clustered}""",
        create_person_table(d, PERSON_TABLE),
    ]
