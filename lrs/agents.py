"""The Person object of the Agents resource: what the LRS knows of an agent, from the statements it stored.

xAPI 1.0.3 Communication 2.4. Each identified agent is one person of
`lrs.personal` (one inverse functional identifier, one pseudonym, one key), so
a Person here holds that one identifier and every name the agent was given in
stored statements, with the request's own name if it brings a new one. The
statements hold those names sealed with the person's key; the index keeps each
distinct sealed form of the agent (`lrs.index.canonical`), so a Person is read
without reading the person's statements, and erasing the person's key erases
their names here too (an erased person is unknown: the Person then holds only
what the request gave).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from lrs.personal import CONTEXT_2_ROLES, IFI_PROPERTIES, PERSON, SEALED
from lrs.validation.actors import check_actor
from lrs.validation.primitives import fail


def agent_forms_in(sealed: Mapping[str, Any]) -> set[tuple[str, str]]:
    """(pseudonym, sealed values) of every identified agent and group member in a sealed statement.

    The places of `lrs.personal.map_agents`, walked without copying the statement (this runs on every write).
    """
    found: set[tuple[str, str]] = set()
    for agent in _agents_in(sealed):
        for one in (agent, *agent.get("member", ())):
            if PERSON in one and SEALED in one:
                found.add((one[PERSON], one[SEALED]))
    return found


def _agents_in(statement: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for key in ("actor", "authority"):
        if key in statement:
            yield statement[key]
    obj = statement.get("object") or {}
    kind = obj.get("objectType")
    if kind in ("Agent", "Group"):
        yield obj
    elif kind == "SubStatement":
        yield from _agents_in(obj)
    context = statement.get("context") or {}
    for key in ("instructor", "team"):
        if key in context:
            yield context[key]
    for key, role in CONTEXT_2_ROLES:
        for entry in context.get(key, ()):
            yield entry[role]


def person_object(agent: Mapping[str, Any], known: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The Person object of `agent` (an Agent with one identifier) given the forms of it the LRS stored.

    `known` are the agent as statements gave it (unsealed), oldest first. Each
    property is an array of distinct values (Communication 2.4, Person
    Properties); names in the order they were first given, the request's last.
    """
    forms = [*known, agent]
    person: dict[str, Any] = {"objectType": "Person"}
    names = _distinct(form["name"] for form in forms if isinstance(form.get("name"), str))
    if names:
        person["name"] = names
    for key in IFI_PROPERTIES:
        values = _distinct(form[key] for form in forms if key in form)
        if values:
            person[key] = values
    return person


def _distinct(values: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if value not in out:
            out.append(value)
    return out


def check_agent_parameter(agent: object, path: str = "agent") -> None:
    """The `agent` parameter of the Agents resource: an Agent with one identifier, not a Group (Communication 2.4).

    Raises StatementValidationError naming what is wrong.
    """
    if check_actor(agent, path, "agent") == "Group":
        fail(f"{path}.objectType", 'the Agents resource takes an Agent, not a Group: give "objectType": "Agent" '
                                   "(or none) and one of mbox, mbox_sha1sum, openid or account")
