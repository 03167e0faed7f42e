"""What xAPI 2.0 (IEEE 9274.1.1-2023) adds to a statement's Context: `contextAgents` and `contextGroups`.

2.0 Data 2.4.6 (Context): `contextAgents` is an array of contextAgent
objects, each `{"objectType": "contextAgent", "agent": <Agent>, "relevantTypes":
[<IRI>, ...]}`; `contextGroups` an array of contextGroup objects, each
`{"objectType": "contextGroup", "group": <Group>, "relevantTypes": [...]}`.
objectType and the agent or group are required; relevantTypes is optional
but, when given, a non-empty array of Activity type IRIs. Nothing else may
appear in either object. A 1.0.3 statement has neither property
(`lrs.validation.context` refuses them there).
"""

from __future__ import annotations

from typing import Any

from lrs.validation.actors import check_agent, check_group_only
from lrs.validation.primitives import fail, is_iri, show
from lrs.validation.structures import check_iri, expect_array, expect_object, reject_unknown

CONTEXT_2_KEYS = frozenset(("contextAgents", "contextGroups"))
CONTEXT_AGENT_KEYS = frozenset(("objectType", "agent", "relevantTypes"))
CONTEXT_GROUP_KEYS = frozenset(("objectType", "group", "relevantTypes"))


def check_context_2(context: dict[str, Any], path: str) -> None:
    """The 2.0 properties of a Context, where present; raises StatementValidationError naming the first fault."""
    if "contextAgents" in context:
        check_context_agents(context["contextAgents"], f"{path}.contextAgents")
    if "contextGroups" in context:
        check_context_groups(context["contextGroups"], f"{path}.contextGroups")


def check_context_agents(value: object, path: str) -> None:
    """2.0 Data 2.4.6: an array of contextAgent objects, each with objectType "contextAgent" and an Agent."""
    for i, entry in enumerate(expect_array(value, path, "contextAgents")):
        item = expect_object(entry, f"{path}[{i}]", "a contextAgents entry")
        _check_entry(item, f"{path}[{i}]", "contextAgent", CONTEXT_AGENT_KEYS)
        if "agent" not in item:
            fail(f"{path}[{i}].agent", "a contextAgent needs an \"agent\" (an Agent object)")
        agent = expect_object(item["agent"], f"{path}[{i}].agent", "contextAgent agent")
        if agent.get("objectType", "Agent") != "Agent":
            fail(f"{path}[{i}].agent.objectType", f'a contextAgent\'s agent is an Agent, not {show(agent["objectType"])}'
                 ' (a Group goes in contextGroups)')
        check_agent(agent, f"{path}[{i}].agent")


def check_context_groups(value: object, path: str) -> None:
    """2.0 Data 2.4.6: an array of contextGroup objects, each with objectType "contextGroup" and a Group."""
    for i, entry in enumerate(expect_array(value, path, "contextGroups")):
        item = expect_object(entry, f"{path}[{i}]", "a contextGroups entry")
        _check_entry(item, f"{path}[{i}]", "contextGroup", CONTEXT_GROUP_KEYS)
        if "group" not in item:
            fail(f"{path}[{i}].group", "a contextGroup needs a \"group\" (a Group object with \"objectType\": \"Group\")")
        check_group_only(item["group"], f"{path}[{i}].group", "contextGroup group")


def _check_entry(item: dict[str, Any], path: str, object_type: str, allowed: frozenset[str]) -> None:
    """objectType exactly `object_type`, no property beyond `allowed`, relevantTypes a non-empty array of IRIs."""
    if item.get("objectType") != object_type:
        fail(f"{path}.objectType", f'objectType must be "{object_type}" (case-sensitive), got {show(item.get("objectType"))}')
    if not item.keys() <= allowed:
        reject_unknown(item, allowed, path, object_type)
    if "relevantTypes" in item:
        types = expect_array(item["relevantTypes"], f"{path}.relevantTypes", "relevantTypes")
        if not types:
            fail(f"{path}.relevantTypes", "relevantTypes, when given, must hold at least one Activity type IRI")
        for j, iri in enumerate(types):
            if not is_iri(iri):
                check_iri(iri, f"{path}.relevantTypes[{j}]", "a relevantTypes entry")
