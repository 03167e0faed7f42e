"""Attachments sent in multipart/mixed requests (xAPI 1.0.3 Data 2.4.11, Communication 1.5.2).

Each attachment's raw content is the one event of an `Attachment` aggregate
whose id derives from its SHA-2 hash, so the same content is stored once and
saved in the same transaction as the statements that declare it.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import Aggregate, event

from lrs.errors import BadRequestError

ATTACHMENT_NAMESPACE = uuid.UUID("0b8a6c53-33a4-4c3e-8f5b-3f0d8f4f2a90")
HASHES = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}


@dataclass(frozen=True)
class AttachmentPart:
    """One part of a multipart request or response after the statements part."""

    content_type: str
    sha2: str
    content: bytes


class Attachment(Aggregate):
    """The raw content of an attachment, identified by its SHA-2 hash."""

    @event("Stored")
    def __init__(self, id: uuid.UUID, sha2: str, content_type: str, content_b64: str) -> None:  # noqa: A002
        self.sha2 = sha2
        self.content_type = content_type
        self.content_b64 = content_b64

    @property
    def part(self) -> AttachmentPart:
        return AttachmentPart(self.content_type, self.sha2, base64.b64decode(self.content_b64))


def attachment_id(sha2: str) -> uuid.UUID:
    return uuid.uuid5(ATTACHMENT_NAMESPACE, sha2.lower())


def declared_hashes(statements: Iterable[Mapping[str, Any]]) -> dict[str, bool]:
    """sha2 of each declared attachment -> whether it must come as a part (no fileUrl)."""
    hashes: dict[str, bool] = {}
    for statement in statements:
        for attachment in statement.get("attachments", ()):
            sha2 = attachment["sha2"].lower()
            hashes[sha2] = hashes.get(sha2, False) or "fileUrl" not in attachment
        obj = statement.get("object")
        if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
            for sha2, needed in declared_hashes([obj]).items():
                hashes[sha2] = hashes.get(sha2, False) or needed
    return hashes


def check_parts(statements: Sequence[Mapping[str, Any]], parts: Sequence[AttachmentPart]) -> None:
    """Communication 1.5.2: every part is declared and intact; every declared one without fileUrl is sent."""
    declared = declared_hashes(statements)
    sent = set()
    for index, part in enumerate(parts, start=1):
        digest = HASHES.get(len(part.sha2))
        if digest is None or digest(part.content).hexdigest() != part.sha2.lower():
            raise BadRequestError(f"part {index}: X-Experience-API-Hash {part.sha2!r} is not the SHA-2 of its content")
        if part.sha2.lower() not in declared:
            raise BadRequestError(f"part {index}: no attachment in the statements declares sha2 {part.sha2}")
        sent.add(part.sha2.lower())
    missing = [sha2 for sha2, needed in declared.items() if needed and sha2 not in sent]
    if missing:
        raise BadRequestError(f"attachments without fileUrl must be sent as parts; missing sha2 {missing}")


def new_attachments(parts: Sequence[AttachmentPart], known: Iterable[str]) -> list[Attachment]:
    """Aggregates for the parts whose content is not stored yet."""
    seen = {sha2.lower() for sha2 in known}
    out = []
    for part in parts:
        sha2 = part.sha2.lower()
        if sha2 not in seen:
            seen.add(sha2)
            out.append(Attachment(id=attachment_id(sha2), sha2=sha2, content_type=part.content_type,
                                  content_b64=base64.b64encode(part.content).decode()))
    return out
