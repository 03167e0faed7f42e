"""The canonical definition of an Activity: what the definitions that stored statements carry add up to.

xAPI 1.0.3 Communication 2.5 (the Activities resource) returns "the complete
Activity Object"; Data 2.4.4.1 leaves it to the LRS to decide whether a
provider may change a definition (this LRS lets any credential that may
store statements do so: activity definitions are not personal data, and
the definition a statement carried stays in that statement). Definitions are
merged in the order the log holds their statements, later ones winning key
by key: language maps (`name`, `description`, a component's `description`)
and `extensions` are merged entry by entry, so a statement in French adds
French without losing English; any other property is replaced whole. A
definition that changes `interactionType` replaces the interaction as a whole
(its responses pattern and component lists), so the merge never mixes the
components of two kinds of interaction. Voiding a statement does not take
back its definition: voiding retracts a claim of experience, not a
description of the activity.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

LANGUAGE_MAPS = ("name", "description")
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
INTERACTION_KEYS = ("interactionType", "correctResponsesPattern", *COMPONENT_LISTS)

Definition = dict[str, Any]


def merge_definition(old: Mapping[str, Any], new: Mapping[str, Any]) -> Definition:
    """The canonical definition once `new` (from a later statement) is applied to `old`.

    Both are valid Activity Definitions (Data 2.4.4.1); neither is changed.
    """
    merged: Definition = dict(old)
    if "interactionType" in new and new["interactionType"] != old.get("interactionType"):
        for key in INTERACTION_KEYS:
            merged.pop(key, None)
    for key, value in new.items():
        if key in LANGUAGE_MAPS or key == "extensions":
            merged[key] = {**merged.get(key, {}), **value}
        elif key in COMPONENT_LISTS:
            merged[key] = _merge_components(merged.get(key, []), value)
        else:
            merged[key] = value
    return merged


def _merge_components(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The later list, each component's description merged with the earlier component of its id."""
    earlier = {component["id"]: component for component in old}
    out = []
    for component in new:
        before = earlier.get(component["id"], {})
        if "description" in before or "description" in component:
            component = {**component, "description": {**before.get("description", {}),
                                                       **component.get("description", {})}}
        out.append(component)
    return out


def definitions_in(statement: Mapping[str, Any]) -> Iterator[tuple[str, Definition]]:
    """(activity id, definition) of each Activity in a statement that carries a definition, in statement order.

    Activities stand as the object, in context.contextActivities (one object or
    an array per key, Data 2.4.6.2), and in a sub-statement's object and context.
    """
    obj = statement.get("object") or {}
    kind = obj.get("objectType", "Activity")
    if kind == "Activity" and isinstance(obj.get("definition"), dict):
        yield obj["id"], obj["definition"]
    elif kind == "SubStatement":
        yield from definitions_in(obj)
    context_activities = (statement.get("context") or {}).get("contextActivities") or {}
    for activities in context_activities.values():
        for activity in activities if isinstance(activities, list) else [activities]:
            if isinstance(activity.get("definition"), dict):
                yield activity["id"], activity["definition"]


def activity_ids_in(statement: Mapping[str, Any]) -> Iterator[str]:
    """The id of every Activity in a statement: object, context activities, and a sub-statement's."""
    obj = statement.get("object") or {}
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        yield obj["id"]
    elif kind == "SubStatement":
        yield from activity_ids_in(obj)
    context_activities = (statement.get("context") or {}).get("contextActivities") or {}
    for activities in context_activities.values():
        for activity in activities if isinstance(activities, list) else [activities]:
            yield activity["id"]


def activity_object(activity_id: str, definition: Mapping[str, Any] | None) -> dict[str, Any]:
    """The Activity object the Activities resource returns: the id, and the definition when there is one.

    Communication 2.5: without a canonical definition the LRS still returns an
    Activity object (the id alone), not a 404.
    """
    activity: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if definition:
        activity["definition"] = dict(definition)
    return activity
