"""Statements with attachments sent and read as multipart/mixed (Communication 1.5.2)."""

from __future__ import annotations

import hashlib
import json

from werkzeug.test import TestResponse

from tests.conftest import XAPIClient, statement

CERTIFICATE = b"%PDF-1.4 certificate of attendance, level 2\n"
SHA = hashlib.sha256(CERTIFICATE).hexdigest()
BOUNDARY = "slrs-test-boundary"


def with_attachment(**attachment: object) -> dict[str, object]:
    meta = {"usageType": "http://id.tincanapi.com/attachment/certificate-of-completion",
            "display": {"en-GB": "Certificate"}, "contentType": "application/pdf",
            "length": len(CERTIFICATE), "sha2": SHA, **attachment}
    return statement(attachments=[meta])


def multipart(statements: object, *parts: tuple[dict[str, str], bytes]) -> bytes:
    chunks = [f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode() + json.dumps(statements).encode()]
    for headers, content in parts:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        chunks.append(f"--{BOUNDARY}\r\n{head}\r\n".encode() + content)
    return b"\r\n".join(chunks) + f"\r\n--{BOUNDARY}--\r\n".encode()


def part(sha2: str = SHA, content: bytes = CERTIFICATE, extra: dict[str, str] | None = None
         ) -> tuple[dict[str, str], bytes]:
    headers = {"Content-Type": "application/pdf", "Content-Transfer-Encoding": "binary", "X-Experience-API-Hash": sha2}
    headers.update(extra or {})
    return headers, content


def send(xapi: XAPIClient, body: bytes) -> TestResponse:
    return xapi.post("/xapi/statements", data=body, content_type=f"multipart/mixed; boundary={BOUNDARY}")


def test_attachment_is_stored_and_returned_with_attachments_true(xapi: XAPIClient) -> None:
    response = send(xapi, multipart([with_attachment()], part()))
    assert response.status_code == 200, response.get_json()
    [sid] = response.get_json()
    got = xapi.get(f"/xapi/statements?statementId={sid}&attachments=true")
    assert got.status_code == 200
    assert got.mimetype == "multipart/mixed"
    assert CERTIFICATE in got.data
    assert got.data.count(SHA.encode()) == 2  # in the statement JSON and in the part header
    plain = xapi.get(f"/xapi/statements?statementId={sid}")
    assert plain.mimetype == "application/json" and CERTIFICATE not in plain.data


def test_part_whose_content_does_not_match_its_hash_is_400(xapi: XAPIClient) -> None:
    response = send(xapi, multipart([with_attachment()], part(content=b"tampered")))
    assert response.status_code == 400
    assert "SHA-2" in response.get_json()["error"]["message"]


def test_declared_attachment_without_file_url_or_part_is_400(xapi: XAPIClient) -> None:
    response = xapi.post("/xapi/statements", data=json.dumps(with_attachment()), content_type="application/json")
    assert response.status_code == 400


def test_attachment_with_file_url_needs_no_part(xapi: XAPIClient) -> None:
    body = json.dumps(with_attachment(fileUrl="https://lscp.example/certificates/1.pdf"))
    assert xapi.post("/xapi/statements", data=body, content_type="application/json").status_code == 200


def test_undeclared_extra_part_is_400(xapi: XAPIClient) -> None:
    other = b"another file"
    response = send(xapi, multipart([with_attachment()], part(), part(hashlib.sha256(other).hexdigest(), other)))
    assert response.status_code == 400


def test_base64_transfer_encoding_is_400(xapi: XAPIClient) -> None:
    response = send(xapi, multipart([with_attachment()], part(extra={"Content-Transfer-Encoding": "base64"})))
    assert response.status_code == 400


def test_multipart_without_boundary_is_400(xapi: XAPIClient) -> None:
    response = xapi.post("/xapi/statements", data=multipart([with_attachment()], part()), content_type="multipart/mixed")
    assert response.status_code == 400
