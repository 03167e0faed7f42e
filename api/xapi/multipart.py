"""multipart/mixed bodies of the Statements resource (Communication 1.5.2), read and written."""

from __future__ import annotations

import os
from typing import Any

from lrs.attachments import AttachmentPart
from lrs.errors import BadRequestError
from lrs.json_input import parse_json
from lrs.transcoding import dumps


def boundary_of(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.lower() == "boundary" and value:
            return value.strip('"')
    raise BadRequestError("a multipart/mixed request needs a boundary parameter in its Content-Type")


def _headers(block: bytes) -> dict[str, str]:
    headers = {}
    for line in block.decode("utf-8", "replace").split("\r\n"):
        if line.strip():
            name, sep, value = line.partition(":")
            if not sep:
                raise BadRequestError(f"malformed part header line {line!r}")
            headers[name.strip().lower()] = value.strip()
    return headers


def parse(body: bytes, content_type: str) -> tuple[Any, list[AttachmentPart]]:
    """The statements of the first part, and the attachment parts after it."""
    delimiter = b"--" + boundary_of(content_type).encode()
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise BadRequestError("the multipart body does not open and close with its boundary")
    parts = []
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            raise BadRequestError("each multipart part must sit between CRLF-delimited boundaries")
        head, sep, content = chunk[2:-2].partition(b"\r\n\r\n")
        if not sep:
            head, content = chunk[2:-2].rstrip(b"\r\n"), b""
        parts.append((_headers(head), content))
    (first_headers, first), rest = parts[0], parts[1:]
    if not first_headers.get("content-type", "").lower().startswith("application/json"):
        raise BadRequestError("the first part of a multipart request must be application/json statements")
    statements = parse_json(first, "the first part")
    return statements, [_attachment(i, headers, content) for i, (headers, content) in enumerate(rest, start=1)]


def _attachment(index: int, headers: dict[str, str], content: bytes) -> AttachmentPart:
    if "x-experience-api-hash" not in headers:
        raise BadRequestError(f"part {index} has no X-Experience-API-Hash header")
    if headers.get("content-transfer-encoding", "binary").lower() != "binary":
        raise BadRequestError(f"part {index}: Content-Transfer-Encoding must be binary")
    if "content-type" not in headers:
        raise BadRequestError(f"part {index} has no Content-Type header")
    return AttachmentPart(headers["content-type"], headers["x-experience-api-hash"], content)


def build(document: Any, parts: list[AttachmentPart]) -> tuple[bytes, str]:
    """A multipart/mixed body: the JSON document, then each attachment once."""
    boundary = os.urandom(16).hex()
    out = [b"--" + boundary.encode() + b"\r\nContent-Type: application/json\r\n\r\n" + dumps(document)]
    for part in parts:
        head = (f"Content-Type: {part.content_type}\r\nContent-Transfer-Encoding: binary\r\n"
                f"X-Experience-API-Hash: {part.sha2}\r\n\r\n").encode()
        out.append(b"--" + boundary.encode() + b"\r\n" + head + part.content)
    body = b"\r\n".join(out) + b"\r\n--" + boundary.encode() + b"--\r\n"
    return body, f"multipart/mixed; boundary={boundary}"
