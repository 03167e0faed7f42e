"""Typed errors of the xAPI Learning Record Store; `api/` maps each to an HTTP status once."""

from __future__ import annotations


class LRSError(Exception):
    """Base of every error the record store raises on purpose."""


class StatementValidationError(LRSError):
    """A statement breaks a rule of the xAPI data model (maps to 400)."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidSignatureError(StatementValidationError):
    """A signed statement's JWS signature is malformed or does not hold (xAPI 1.0.3 Data 2.6; maps to 400)."""


class BadRequestError(LRSError):
    """A request is malformed apart from statement content (maps to 400)."""


class ConflictError(LRSError):
    """A statement id is already stored with different content (maps to 409)."""


class NotFoundError(LRSError):
    """Nothing is stored under the identifier asked for (maps to 404)."""


class BatchTooLargeError(LRSError):
    """A request holds more statements than the LRS takes at once (maps to 413)."""


class PreconditionFailedError(LRSError):
    """An If-Match or If-None-Match header does not hold for the stored document (maps to 412, Communication 3.1)."""
