"""The `format` parameter of GET /statements: exact, ids, canonical (xAPI 1.0.3 Communication 2.1.3)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from lrs.personal import IFI_PROPERTIES, map_agents
from lrs.timestamps import to_utc

Statement = dict[str, Any]


def render(statement: Statement, fmt: str, languages: Sequence[str] = (),
           definitions: Mapping[str, Mapping[str, Any]] | None = None) -> Statement:
    """The statement as the client asked to see it, its timestamps in UTC whatever the format.

    `definitions` are the LRS's canonical Activity definitions by id (`lrs.activities`):
    the canonical format shows an Activity with its canonical definition, where
    there is one, rather than the one its statement carried (Communication 2.1.3).
    """
    statement = in_utc(statement)
    if fmt == "ids":
        return _ids(statement)
    if fmt == "canonical":
        return _canonical(statement, languages, definitions or {})
    return statement


def in_utc(statement: Statement) -> Statement:
    """Data 4.5.s1.b6: the LRS gives timestamps back in UTC (the same instant, Data 2.3.1.b4).

    `stored` is given in UTC already; a sub-statement's timestamp is converted too.
    """
    out = statement
    timestamp = statement.get("timestamp")
    if isinstance(timestamp, str) and not timestamp.endswith("Z"):
        out = {**out, "timestamp": to_utc(timestamp)}
    obj = out.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        converted = in_utc(obj)
        if converted is not obj:
            out = {**out, "object": converted}
    return out


def _agent_ids(agent: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: agent[k] for k in ("objectType", *IFI_PROPERTIES) if k in agent}
    if "member" in agent and not any(k in agent for k in IFI_PROPERTIES):
        out["member"] = [_agent_ids(m) for m in agent["member"]]
    return out


def _ids(statement: Statement) -> Statement:
    out = map_agents(statement, _agent_ids)
    out["verb"] = {"id": statement["verb"]["id"]}
    obj = out["object"]
    if obj.get("objectType", "Activity") == "Activity":
        out["object"] = {"id": obj["id"]}
    elif obj["objectType"] == "SubStatement":
        out["object"] = _ids(obj)
    context = out.get("context")
    if context and "contextActivities" in context:
        context = dict(context)
        context["contextActivities"] = {
            key: [{"id": a["id"]} for a in _as_list(acts)]
            for key, acts in context["contextActivities"].items()
        }
        out["context"] = context
    return out


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def pick_language(language_map: Mapping[str, str], languages: Sequence[str]) -> dict[str, str]:
    """One entry of a language map: the client's first acceptable language, else the first."""
    if not language_map:
        return {}
    lowered = {tag.lower(): tag for tag in language_map}
    for wanted in languages:
        wanted = wanted.lower()
        for tag_lower, tag in lowered.items():
            if wanted == "*" or tag_lower == wanted or tag_lower.startswith(wanted + "-"):
                return {tag: language_map[tag]}
    tag = next(iter(language_map))
    return {tag: language_map[tag]}


def _canonical(statement: Statement, languages: Sequence[str], definitions: Mapping[str, Mapping[str, Any]]
               ) -> Statement:
    def one(value: Mapping[str, str]) -> dict[str, str]:
        return pick_language(value, languages)

    out = dict(statement)
    if "display" in out["verb"]:
        out["verb"] = {**out["verb"], "display": one(out["verb"]["display"])}
    out["object"] = _canonical_object(out["object"], one, languages, definitions)
    context = out.get("context")
    if context and "contextActivities" in context:
        activities = {key: [_canonical_object(a, one, languages, definitions) for a in _as_list(acts)]
                      for key, acts in context["contextActivities"].items()}
        out["context"] = {**context, "contextActivities": activities}
    if "attachments" in out:
        out["attachments"] = [_map_keys(a, ("display", "description"), one) for a in out["attachments"]]
    return out


def _canonical_object(obj: Statement, one: Callable[[Mapping[str, str]], dict[str, str]],
                      languages: Sequence[str], definitions: Mapping[str, Mapping[str, Any]]) -> Statement:
    kind = obj.get("objectType", "Activity")
    if kind == "SubStatement":
        return _canonical(obj, languages, definitions)
    if kind == "Activity" and obj["id"] in definitions:
        obj = {**obj, "definition": definitions[obj["id"]]}
    definition = obj.get("definition")
    if not definition:
        return obj
    definition = _map_keys(definition, ("name", "description"), one)
    for key in ("choices", "scale", "source", "target", "steps"):
        if key in definition:
            definition[key] = [_map_keys(c, ("description",), one) for c in definition[key]]
    return {**obj, "definition": definition}


def _map_keys(value: Mapping[str, Any], keys: Sequence[str], fn: Callable[[Any], Any]) -> dict[str, Any]:
    out = dict(value)
    for key in keys:
        if key in out:
            out[key] = fn(out[key])
    return out
