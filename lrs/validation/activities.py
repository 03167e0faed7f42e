"""Checks for Activity objects, Activity Definitions and interaction components."""

from __future__ import annotations

from typing import Any

from lrs.validation.primitives import fail, is_iri, json_type, show
from lrs.validation.structures import (
    check_extensions,
    check_iri,
    check_language_map,
    check_string,
    expect_array,
    expect_object,
    reject_unknown,
)

# xAPI 1.0.3 Data 2.4.4.1.s1 (Activity) and 2.4.4.1.s2 / 2.4.4.1.s8 (Definition, interaction properties)
ACTIVITY_KEYS = frozenset(("objectType", "id", "definition"))
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
DEFINITION_KEYS = frozenset(
    ("name", "description", "type", "moreInfo", "extensions", "interactionType", "correctResponsesPattern")
    + COMPONENT_LISTS
)
COMPONENT_KEYS = frozenset(("id", "description"))

# xAPI 1.0.3 Data 2.4.4.1.s9 (the ten interaction types) and 2.4.4.1.s15.table2 (their component lists)
INTERACTION_COMPONENTS: dict[str, frozenset[str]] = {
    "true-false": frozenset(),
    "choice": frozenset(("choices",)),
    "fill-in": frozenset(),
    "long-fill-in": frozenset(),
    "matching": frozenset(("source", "target")),
    "performance": frozenset(("steps",)),
    "sequencing": frozenset(("choices",)),
    "likert": frozenset(("scale",)),
    "numeric": frozenset(),
    "other": frozenset(),
}


def _check_components(value: object, path: str, name: str) -> None:
    items = expect_array(value, path, name)
    seen: set[str] = set()
    for i, item in enumerate(items):
        ipath = f"{path}[{i}]"
        component = expect_object(item, ipath, f"each {name} entry (an interaction component)")
        # xAPI 1.0.3 Data 2.4.4.1.s15.table1: id (string, required) and description (language map)
        if not component.keys() <= COMPONENT_KEYS:
            reject_unknown(component, COMPONENT_KEYS, ipath, "interaction component")
        if "id" not in component:
            fail(f"{ipath}.id", "interaction component id is required")
        cid = component["id"]
        check_string(cid, f"{ipath}.id", "interaction component id")
        if cid in seen:
            # xAPI 1.0.3 Data 2.4.4.1.s16.b1: ids within one list are distinct
            fail(f"{ipath}.id", f"interaction component ids must be distinct within {name}; {show(cid)} repeats")
        seen.add(cid)
        if "description" in component:
            check_language_map(component["description"], f"{ipath}.description", "interaction component description")


def _check_interaction(definition: dict[str, Any], path: str) -> None:
    """The interactionType, correctResponsesPattern and component-list properties of a definition."""
    if "interactionType" in definition:
        itype = definition["interactionType"]
        allowed = INTERACTION_COMPONENTS.get(itype) if itype.__class__ is str else None
        if allowed is None:
            # xAPI 1.0.3 Data 2.4.4.1.s13.b1 and 2.2.s4.b1.b6 (exact case)
            fail(
                f"{path}.interactionType",
                f"interactionType must be one of {', '.join(INTERACTION_COMPONENTS)} (case-sensitive), "
                f"got {json_type(itype)} {show(itype)}",
            )
    else:
        itype, allowed = None, None

    if "correctResponsesPattern" in definition:
        cpath = f"{path}.correctResponsesPattern"
        if itype is None:
            # xAPI 1.0.3 Data 2.4.4.1.s8.table1.row1: interaction properties need an interactionType
            fail(cpath, "correctResponsesPattern is only allowed on interaction activities (set interactionType)")
        patterns = expect_array(definition["correctResponsesPattern"], cpath, "correctResponsesPattern")
        for i, pattern in enumerate(patterns):
            if pattern.__class__ is not str:
                fail(
                    f"{cpath}[{i}]",
                    f"correctResponsesPattern entries must be strings, got {json_type(pattern)} {show(pattern)}",
                )

    for name in COMPONENT_LISTS:
        if name in definition:
            lpath = f"{path}.{name}"
            if allowed is None:
                fail(lpath, f"{name} is only allowed on interaction activities (set interactionType)")
            if name not in allowed:
                # xAPI 1.0.3 Data 2.4.4.1.s15.table2: component lists belong to specific interaction types
                usable = ", ".join(t for t, lists in INTERACTION_COMPONENTS.items() if name in lists)
                fail(lpath, f'{name} is not allowed for interactionType "{itype}" (only for: {usable})')
            _check_components(definition[name], lpath, name)


def check_definition(value: object, path: str) -> None:
    """An Activity Definition, including the interaction properties."""
    if not isinstance(value, dict):
        expect_object(value, path, "activity definition")
    definition: dict[str, Any] = value  # type: ignore[assignment]
    if not definition.keys() <= DEFINITION_KEYS:
        reject_unknown(definition, DEFINITION_KEYS, path, "activity definition")
    interaction = False
    for key, item in definition.items():
        if key == "name" or key == "description":
            check_language_map(item, f"{path}.{key}", f"definition.{key}")
        elif key == "type":
            if not is_iri(item):
                check_iri(item, f"{path}.type", "definition.type")
        elif key == "moreInfo":
            if not is_iri(item):
                check_iri(item, f"{path}.moreInfo", "definition.moreInfo (an IRL)")
        elif key == "extensions":
            check_extensions(item, f"{path}.extensions")
        else:
            interaction = True
    if interaction:
        _check_interaction(definition, path)


def check_activity(obj: dict[str, Any], path: str) -> None:
    """An Activity object whose objectType (if present) is already known to be "Activity"."""
    if not obj.keys() <= ACTIVITY_KEYS:
        reject_unknown(obj, ACTIVITY_KEYS, path, "Activity")
    if "id" not in obj:
        # xAPI 1.0.3 Data 2.4.4.1.s1.table1.row2: id is required
        fail(f"{path}.id", "Activity id (an IRI) is required")
    aid = obj["id"]
    if not is_iri(aid):
        check_iri(aid, f"{path}.id", "Activity id")
    if "definition" in obj:
        check_definition(obj["definition"], f"{path}.definition")


def check_activity_value(value: object, path: str, what: str) -> None:
    """Any JSON value that must be an Activity (objectType optional, "Activity" when present)."""
    if not isinstance(value, dict):
        expect_object(value, path, what)
    obj: dict[str, Any] = value  # type: ignore[assignment]
    if "objectType" in obj and obj["objectType"] != "Activity":
        fail(f"{path}.objectType", f'{what} objectType must be "Activity" when present, got {show(obj["objectType"])}')
    check_activity(obj, path)
