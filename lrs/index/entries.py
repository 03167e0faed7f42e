"""What the index records of one stored statement: the values each query filter looks at."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lrs.activities import Definition, definitions_in
from lrs.agents import agent_forms_in
from lrs.personal import CONTEXT_2_ROLES, PERSON

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"

# Agent roles: DIRECT answers `agent=` (actor or object, xAPI 1.0.3 Communication
# 2.1.3); RELATED answers `agent=` with related_agents=true, which also looks at
# authority, instructor, team and everything in a sub-statement.
DIRECT = "d"
RELATED = "r"
AUTHORITY = "a"  # also related; kept apart for the statements/read/mine scope


@dataclass(frozen=True)
class IndexEntry:
    """One statement's row in the index, and its agent and activity rows.

    `definitions` are the activity definitions it carries, in statement order,
    and `agent_forms` its identified agents' (pseudonym, sealed values): what
    the Activities and Agents resources read (`lrs.index.canonical`).
    """

    statement_id: str
    stored: str
    verb_id: str
    activity_id: str | None
    ref_target: str | None
    registration: str | None
    is_voiding: bool
    agents: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    activities: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    definitions: tuple[tuple[str, Definition], ...] = ()
    agent_forms: frozenset[tuple[str, str]] = field(default_factory=frozenset)


def index_entry(sealed: Mapping[str, Any]) -> IndexEntry:
    """The index entry of a sealed, stored statement (identities are pseudonyms)."""
    obj = sealed["object"]
    kind = obj.get("objectType", "Activity")
    context = sealed.get("context") or {}
    verb_id = sealed["verb"]["id"]
    return IndexEntry(
        statement_id=sealed["id"],
        stored=sealed["stored"],
        verb_id=verb_id,
        activity_id=obj["id"] if kind == "Activity" else None,
        ref_target=obj["id"].lower() if kind == "StatementRef" else None,
        registration=context["registration"].lower() if "registration" in context else None,
        is_voiding=verb_id == VOIDED_VERB,
        agents=frozenset(_agents(sealed)),
        activities=frozenset(_activities(sealed)),
        definitions=tuple(definitions_in(sealed)),
        agent_forms=frozenset(agent_forms_in(sealed)),
    )


def _persons(agent: Mapping[str, Any]) -> Iterator[str]:
    if PERSON in agent:
        yield agent[PERSON]
    for member in agent.get("member", ()):
        if PERSON in member:
            yield member[PERSON]


def _agents(statement: Mapping[str, Any], *, top: bool = True) -> Iterator[tuple[str, str]]:
    direct = DIRECT if top else RELATED
    for person in _persons(statement["actor"]):
        yield person, direct
    obj = statement["object"]
    kind = obj.get("objectType")
    if kind in ("Agent", "Group"):
        for person in _persons(obj):
            yield person, direct
    elif kind == "SubStatement":
        yield from _agents(obj, top=False)
    context = statement.get("context") or {}
    for key in ("instructor", "team"):
        if key in context:
            for person in _persons(context[key]):
                yield person, RELATED
    for key, role in CONTEXT_2_ROLES:  # xAPI 2.0 Communication 2.1.3: related_agents looks here too
        for entry in context.get(key, ()):
            for person in _persons(entry[role]):
                yield person, RELATED
    if "authority" in statement:
        for person in _persons(statement["authority"]):
            yield person, AUTHORITY


def _activities(statement: Mapping[str, Any], *, top: bool = True) -> Iterator[tuple[str, str]]:
    obj = statement["object"]
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        yield obj["id"], DIRECT if top else RELATED
    elif kind == "SubStatement":
        yield from _activities(obj, top=False)
    context_activities = (statement.get("context") or {}).get("contextActivities") or {}
    for activities in context_activities.values():
        for activity in activities if isinstance(activities, list) else [activities]:
            yield activity["id"], RELATED
