"""Who did it: the credential (and agency binding, and person where known) behind every command."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.errors import NotPermittedError, RecordNotFoundError


@dataclass(frozen=True)
class Actor:
    """The credential issuing a command; `agency` None means it speaks for the whole partnership."""

    credential: str
    agency: str | None = None
    person: str | None = None

    @property
    def is_partnership(self) -> bool:
        return self.agency is None

    def as_event_field(self) -> dict[str, Any]:
        """The `by` field every event carries."""
        return {"credential": self.credential, "agency": self.agency, "person": self.person}

    def require_partnership(self, doing: str) -> None:
        """Raises NotPermittedError unless this actor speaks for the partnership."""
        if not self.is_partnership:
            raise NotPermittedError(f"only a partnership credential may {doing}; this one is bound to {self.agency}")

    def require_agency(self, agency: str, kind: str, code: str) -> None:
        """Raises RecordNotFoundError for a record of another agency: its ids must look absent."""
        if self.agency is not None and self.agency != agency:
            raise RecordNotFoundError(f"no {kind} {code}")


SYSTEM = Actor(credential="system")
