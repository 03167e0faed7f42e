"""The `Document` aggregate and the values that say which document a request means."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import Aggregate, event

DOCUMENT_NAMESPACE = uuid.UUID("5d0c4a52-7a4e-4f0e-9c1f-2b7f4c3e6a10")

# The three document resources (Communication 2.3, 2.6, 2.7) and the words their ids go by.
STATE = "state"
ACTIVITY_PROFILE = "activity-profile"
AGENT_PROFILE = "agent-profile"
KINDS = (STATE, ACTIVITY_PROFILE, AGENT_PROFILE)
ID_NAMES = {STATE: "stateId", ACTIVITY_PROFILE: "profileId", AGENT_PROFILE: "profileId"}


@dataclass(frozen=True)
class DocumentScope:
    """The documents of one context: a kind, and its activity, agent and registration where the kind has them.

    `agent` is the Agent (JSON object) of a State or Agent Profile document, None
    for an Activity Profile; `activity_id` is None for an Agent Profile;
    `registration` is a lower-case UUID or None (State only).
    """

    kind: str
    activity_id: str | None = None
    agent: dict[str, Any] | None = None
    registration: str | None = None

    def key(self, document_id: str) -> DocumentKey:
        """The document `document_id` of this scope."""
        return DocumentKey(self, document_id)


@dataclass(frozen=True)
class DocumentKey:
    """One document: its scope and its id within the scope (stateId or profileId)."""

    scope: DocumentScope
    document_id: str


def document_aggregate_id(kind: str, activity_id: str | None, person: str | None, registration: str | None,
                          document_id: str) -> uuid.UUID:
    """The aggregate id of a document, from its kind, activity, person's pseudonym, registration and id.

    The pseudonym stands for the agent, so the id reveals nothing of who the
    agent is, and a person erased and seen again has new documents.
    """
    # A JSON array, so no id (any string) can pass for another split differently.
    return uuid.uuid5(DOCUMENT_NAMESPACE, json.dumps([kind, activity_id, person, registration, document_id]))


class Document(Aggregate):
    """One xAPI document through its life: created, written any number of times, deleted and written again.

    Nothing is updated in place: each write is a `Written` event holding the
    whole content as it then stood (after a POST's merge), each deletion a
    `Deleted` event, so `repository.get(id, version=n)` is the document as it
    was. `agent` is sealed as statements seal agents (`@person`, `@sealed`),
    and when it is set `content` is sealed with the same person's key;
    otherwise `content` is the base64 of the bytes. `updated` is in the index
    form of `lrs.timestamps` (UTC, microseconds).
    """

    @event("Created")
    def __init__(self, id: uuid.UUID, kind: str, activity_id: str | None,  # noqa: A002
                 agent: dict[str, Any] | None, registration: str | None, document_id: str) -> None:
        self.kind = kind
        self.activity_id = activity_id
        self.agent = agent
        self.registration = registration
        self.document_id = document_id
        self.content_type: str | None = None
        self.content: str | None = None
        self.updated: str | None = None

    @event("Written")
    def write(self, content_type: str, content: str, updated: str) -> None:
        self.content_type = content_type
        self.content = content
        self.updated = updated

    @event("Deleted")
    def delete(self, updated: str) -> None:
        self.content_type = None
        self.content = None
        self.updated = updated

    @property
    def exists(self) -> bool:
        """Whether the document holds content (written, and not deleted since)."""
        return self.content is not None
