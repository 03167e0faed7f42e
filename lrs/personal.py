"""Personal identifiers sealed with a key per person, so erasing one key erases the person.

Stored events never hold an mbox, account, openid or name in clear. Each
identified agent (one inverse functional identifier, xAPI 1.0.3 Data 2.4.2.3)
gets a random pseudonym and a random key, kept outside the event store in a
mutable table (`kernel.keys.PersonKeys`). Events carry the pseudonym and the agent's
identifying values encrypted with that person's key. Destroying the key (and
the identifier -> pseudonym row) leaves the events intact but unreadable for
that person, while everything else in them stays readable. The keys, their
table and the sealing itself are `kernel.keys`, shared with the training records.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from kernel.keys import Identifier, Person, Pseudonym, Sealing

IFI_PROPERTIES = ("mbox", "mbox_sha1sum", "openid", "account")
ERASED_HOME_PAGE = "urn:slrs:erased"
PERSON = "@person"
SEALED = "@sealed"
# xAPI 2.0 Data 2.4.6: the context's lists of agents and groups, and where each entry holds its own
CONTEXT_2_ROLES = (("contextAgents", "agent"), ("contextGroups", "group"))
CONTEXT_AGENT_KEYS = frozenset(("instructor", "team", "contextAgents", "contextGroups"))

Agent = dict[str, Any]


def identifier_of(agent: Mapping[str, Any]) -> Identifier | None:
    """The agent's inverse functional identifier as one string, or None if anonymous."""
    if "mbox" in agent:
        return Identifier("mbox:" + agent["mbox"])
    if "mbox_sha1sum" in agent:
        return Identifier("mbox_sha1sum:" + agent["mbox_sha1sum"])
    if "openid" in agent:
        return Identifier("openid:" + agent["openid"])
    account = agent.get("account")
    if account is not None:
        return Identifier("account:" + account["homePage"] + " " + account["name"])
    return None


def map_agents(statement: Mapping[str, Any], fn: Callable[[Agent], Agent]) -> dict[str, Any]:
    """Copy a statement with `fn` applied to each agent or group in it.

    The places an agent may stand: actor, authority, object (Agent, Group or
    SubStatement), context.instructor and context.team (Data 2.4.2, 2.4.6, 2.4.9),
    and in a 2.0 statement each context.contextAgents[].agent and
    context.contextGroups[].group (xAPI 2.0 Data 2.4.6).
    """
    out = dict(statement)
    for key in ("actor", "authority"):
        if key in out:
            out[key] = fn(out[key])
    obj = out.get("object")
    if isinstance(obj, dict):
        kind = obj.get("objectType")
        if kind in ("Agent", "Group"):
            out["object"] = fn(obj)
        elif kind == "SubStatement":
            out["object"] = map_agents(obj, fn)
    context = out.get("context")
    if isinstance(context, dict) and not context.keys().isdisjoint(CONTEXT_AGENT_KEYS):
        context = dict(context)
        for key in ("instructor", "team"):
            if key in context:
                context[key] = fn(context[key])
        for key, role in CONTEXT_2_ROLES:
            if key in context:
                context[key] = [{**entry, role: fn(entry[role])} for entry in context[key]]
        out["context"] = context
    return out


def identifiers_in(statement: Mapping[str, Any]) -> set[Identifier]:
    """Every identifier of every agent and group member in a statement."""
    found: set[Identifier] = set()

    def collect(agent: Agent) -> Agent:
        ifi = identifier_of(agent)
        if ifi is not None:
            found.add(ifi)
        for member in agent.get("member", ()):
            member_ifi = identifier_of(member)
            if member_ifi is not None:
                found.add(member_ifi)
        return agent

    map_agents(statement, collect)
    return found


class Sealer:
    """Seals and unseals the agents of statements with their persons' keys (`kernel.keys.Sealing`)."""

    def __init__(self) -> None:
        self.sealing = Sealing()
        # The same agent (say the authority, or a learner's many statements) sealed
        # again gives the same ciphertext: identical plaintext under the same key and
        # associated data reveals only that equality, which the pseudonym shows anyway.
        self._sealed: dict[tuple[str, bytes], str] = {}

    def seal(self, statement: Mapping[str, Any], persons: Mapping[Identifier, Person]) -> dict[str, Any]:
        """The statement with each identified agent replaced by pseudonym and ciphertext.

        Raises KeyError if an identified agent has no person in `persons`.
        """
        return map_agents(statement, lambda agent: self._seal_agent(agent, persons))

    def _seal_agent(self, agent: Agent, persons: Mapping[Identifier, Person]) -> Agent:
        sealed: Agent = {k: agent[k] for k in ("objectType",) if k in agent}
        ifi = identifier_of(agent)
        if ifi is None:  # an anonymous group: its members carry the identities
            if "name" in agent:
                sealed["name"] = agent["name"]
        else:
            person = persons[ifi]
            secret = {k: v for k, v in agent.items() if k not in ("objectType", "member")}
            plaintext = json.dumps(secret, separators=(",", ":")).encode()
            sealed[PERSON] = person.pseudonym
            sealed[SEALED] = self._encrypt(person, plaintext)
        if "member" in agent:
            sealed["member"] = [self._seal_agent(m, persons) for m in agent["member"]]
        return sealed

    def _encrypt(self, person: Person, plaintext: bytes) -> str:
        cache_key = (person.pseudonym, plaintext)
        blob = self._sealed.get(cache_key)
        if blob is None:
            if len(self._sealed) > 50_000:
                self._sealed.clear()
            blob = self._sealed[cache_key] = self.sealing.seal(person, plaintext)
        return blob

    def unseal(self, sealed: Mapping[str, Any], keys: Mapping[Pseudonym, bytes]) -> dict[str, Any]:
        """The statement as received; an erased person reads as an anonymous account.

        Raises cryptography's InvalidTag if a sealed value was altered.
        """
        return map_agents(sealed, lambda agent: self._unseal_agent(agent, keys))

    def _unseal_agent(self, agent: Agent, keys: Mapping[Pseudonym, bytes]) -> Agent:
        out: Agent = {k: agent[k] for k in ("objectType",) if k in agent}
        pseudonym = agent.get(PERSON)
        if pseudonym is None:
            if "name" in agent:
                out["name"] = agent["name"]
        elif pseudonym in keys:
            out.update(json.loads(self.sealing.unseal(pseudonym, keys[pseudonym], agent[SEALED])))
        else:
            out["account"] = {"homePage": ERASED_HOME_PAGE, "name": pseudonym}
        if "member" in agent:
            out["member"] = [self._unseal_agent(m, keys) for m in agent["member"]]
        return out


def pseudonyms_in(sealed: Mapping[str, Any]) -> set[Pseudonym]:
    """Every pseudonym in a sealed statement (to fetch the keys to unseal it)."""
    found: set[Pseudonym] = set()

    def collect(agent: Agent) -> Agent:
        if PERSON in agent:
            found.add(agent[PERSON])
        for member in agent.get("member", ()):
            collect(member)
        return agent

    map_agents(sealed, collect)
    return found
