"""ETags and the If-Match / If-None-Match preconditions of document writes (Communication 3.1, RFC 2616 14.24, 14.26)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lrs.errors import PreconditionFailedError


def etag_of(content: bytes) -> str:
    """Communication 3.1: the ETag of a document is the lower-case hex SHA-1 of its content (unquoted here)."""
    return hashlib.sha1(content).hexdigest()  # noqa: S324  (the spec's choice, not a security measure)


def entity_tags(header: str) -> frozenset[str]:
    """The tags of an If-Match or If-None-Match header: `*`, or each tag without quotes or weak prefix, lower case."""
    tags = set()
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith(("W/", "w/")):
            tag = tag[2:]
        tag = tag.strip().strip('"').strip().lower()
        if tag:
            tags.add(tag)
    return frozenset(tags)


@dataclass(frozen=True)
class Preconditions:
    """The If-Match and If-None-Match headers of a write, as sent (None when absent)."""

    if_match: str | None = None
    if_none_match: str | None = None

    @property
    def given(self) -> bool:
        """Whether the request carries either header (Communication 3.1 requires one on a profile PUT)."""
        return self.if_match is not None or self.if_none_match is not None

    def check(self, current: str | None) -> None:
        """Raise PreconditionFailedError unless the headers hold for a document whose ETag is `current`.

        `current` is None when no document is stored. If-Match holds when the
        document exists and `*` or its ETag is listed; If-None-Match holds when
        `*` is given and no document exists, or when its ETag is not listed.
        """
        if self.if_match is not None:
            tags = entity_tags(self.if_match)
            if current is None:
                raise PreconditionFailedError("If-Match was given but no such document is stored: "
                                              "GET the document's ETag first, or send If-None-Match: *")
            if "*" not in tags and current not in tags:
                raise PreconditionFailedError(
                    f'the document has changed: its ETag is now "{current}", not the one in If-Match; '
                    "GET it again and merge your changes")
        if self.if_none_match is not None and current is not None:
            tags = entity_tags(self.if_none_match)
            if "*" in tags:
                raise PreconditionFailedError("If-None-Match: * was given but the document already exists: "
                                              "GET its ETag and send it in If-Match to replace it")
            if current in tags:
                raise PreconditionFailedError(f'the document\'s ETag is "{current}", which If-None-Match excludes')
