"""Signed statements through the Statements resource: the JWS signature attachment checked (xAPI 1.0.3 Data 2.6).

Conformance requirements XAPI-00115 (a JWS as an octet-stream attachment),
XAPI-00116 (its payload the statement before signing) and XAPI-00117 (RS256,
RS384 or RS512). Keys and certificates are made here with `cryptography`,
signatures with PyJWT (or by hand where PyJWT would refuse to make them).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from werkzeug.test import TestResponse

from tests.conftest import XAPIClient, statement

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
BOUNDARY = "signed-statement-boundary"
Key = rsa.RSAPrivateKey


def new_key() -> Key:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def signer() -> Key:
    return new_key()


@pytest.fixture(scope="module")
def stranger() -> Key:
    return new_key()


@pytest.fixture(scope="module")
def authority_key() -> Key:
    return new_key()


def name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Safeguarding Partnership"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def certificate(subject_key: Key, subject: str, issuer_key: Key | None = None, issuer: str | None = None) -> str:
    """A certificate for `subject_key`, signed by `issuer_key` (self-signed if None), as x5c holds it: base64 DER."""
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    built = (x509.CertificateBuilder()
             .subject_name(name(subject)).issuer_name(name(issuer or subject))
             .public_key(subject_key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=365))
             .sign(issuer_key or subject_key, hashes.SHA256()))
    return base64.b64encode(built.public_bytes(serialization.Encoding.DER)).decode()


def sign(payload: Any, key: Any, algorithm: str = "RS256", x5c: list[Any] | None = None) -> bytes:
    """A JWS compact serialization of `payload` (JSON-encoded unless bytes), with x5c in its header if given."""
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"x5c": x5c} if x5c is not None else None
    return jwt.api_jws.PyJWS().encode(data, key, algorithm=algorithm, headers=headers).encode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made_jws(header: dict[str, Any], payload: Any, signature: bytes = b"") -> bytes:
    """A JWS built without a library, for algorithms PyJWT will not produce."""
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}.{b64url(signature)}".encode()


def signed(original: dict[str, Any], jws: bytes, content_type: str = "application/octet-stream",
           **attachment: Any) -> dict[str, Any]:
    """`original` with the signature attachment that declares `jws` added, as a client sends it."""
    meta = {"usageType": SIGNATURE, "display": {"en-GB": "Signature"}, "contentType": content_type,
            "length": len(jws), "sha2": hashlib.sha256(jws).hexdigest(), **attachment}
    return {**original, "attachments": [*original.get("attachments", []), meta]}


def multipart(statements: Any, *parts: bytes, content_type: str = "application/octet-stream") -> bytes:
    chunks = [f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode() + json.dumps(statements).encode()]
    for content in parts:
        head = (f"Content-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\n"
                f"X-Experience-API-Hash: {hashlib.sha256(content).hexdigest()}\r\n\r\n")
        chunks.append(f"--{BOUNDARY}\r\n".encode() + head.encode() + content)
    return b"\r\n".join(chunks) + f"\r\n--{BOUNDARY}--\r\n".encode()


def post(xapi: XAPIClient, statements: Any, *parts: bytes, content_type: str = "application/octet-stream"
         ) -> TestResponse:
    body = multipart(statements, *parts, content_type=content_type)
    return xapi.post("/xapi/statements", data=body, content_type=f"multipart/mixed; boundary={BOUNDARY}")


def refused(response: TestResponse, *words: str) -> str:
    """The 400's message, checked to name the signature attachment and each of `words`."""
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert error["path"].startswith("statements[") and ".attachments[" in error["path"], error
    for word in words:
        assert word in error["message"], error["message"]
    return str(error["message"])


def original_statement() -> dict[str, Any]:
    return statement(id=str(uuid.uuid4()), timestamp="2026-11-29T10:00:00Z")


def not_stored(xapi: XAPIClient, statement_id: str) -> bool:
    return bool(xapi.get(f"/xapi/statements?statementId={statement_id}").status_code == 404)


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
def test_statement_signed_with_its_certificate_is_stored_and_read_back_with_its_signature(
        xapi: XAPIClient, signer: Key, algorithm: str) -> None:
    original = original_statement()
    jws = sign(original, signer, algorithm, x5c=[certificate(signer, "Moodle site")])
    response = post(xapi, [signed(original, jws)], jws)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == [original["id"]]
    got = xapi.get(f"/xapi/statements?statementId={original['id']}&attachments=true")
    assert got.status_code == 200 and got.mimetype == "multipart/mixed"
    assert jws in got.data
    plain = xapi.get(f"/xapi/statements?statementId={original['id']}").get_json()
    assert [a["usageType"] for a in plain["attachments"]] == [SIGNATURE]
    assert plain["attachments"][0]["sha2"] == hashlib.sha256(jws).hexdigest()


def test_signature_checked_along_a_chain_to_the_issuing_authority(
        xapi: XAPIClient, signer: Key, authority_key: Key) -> None:
    original = original_statement()
    chain = [certificate(signer, "Moodle site", authority_key, "Partnership CA"),
             certificate(authority_key, "Partnership CA")]
    jws = sign(original, signer, x5c=chain)
    assert post(xapi, [signed(original, jws)], jws).status_code == 200


def test_signature_without_certificate_is_accepted_when_its_payload_is_the_statement(
        xapi: XAPIClient, signer: Key) -> None:
    """Data 2.6: the signature is checked against a certificate only when the header carries one."""
    original = original_statement()
    jws = sign(original, signer)
    assert post(xapi, [signed(original, jws)], jws).status_code == 200


def test_signature_over_the_statement_as_the_lrs_completes_it_is_the_same_statement(
        xapi: XAPIClient, signer: Key) -> None:
    """Data 2.3.1: what the LRS would set (version), a timestamp's zone and the verb's display are not compared."""
    original = original_statement()
    payload = {**original, "version": "1.0.3", "timestamp": "2026-11-29T11:00:00+01:00",
               "verb": {"id": original["verb"]["id"]}}
    jws = sign(payload, signer, x5c=[certificate(signer, "Moodle site")])
    assert post(xapi, [signed(original, jws)], jws).status_code == 200


def test_signed_statement_with_another_attachment_keeps_that_attachment_in_what_it_signs(
        xapi: XAPIClient, signer: Key) -> None:
    """The signature is added last: the statement it signs holds the other attachment, not the signature."""
    certificate_pdf = b"%PDF-1.4 certificate of attendance, level 2\n"
    original = {**original_statement(), "attachments": [{
        "usageType": "http://id.tincanapi.com/attachment/certificate-of-completion",
        "display": {"en-GB": "Certificate"}, "contentType": "application/pdf",
        "length": len(certificate_pdf), "sha2": hashlib.sha256(certificate_pdf).hexdigest()}]}
    jws = sign(original, signer, x5c=[certificate(signer, "Moodle site")])
    assert post(xapi, [signed(original, jws)], certificate_pdf, jws).status_code == 200
    got = xapi.get(f"/xapi/statements?statementId={original['id']}&attachments=true")
    assert certificate_pdf in got.data and jws in got.data
    without_pdf = {**original_statement(), "attachments": []}
    del without_pdf["attachments"]
    jws = sign(without_pdf, signer)
    changed = {**without_pdf, "attachments": original["attachments"]}
    refused(post(xapi, [signed(changed, jws)], certificate_pdf, jws), "properties that differ: attachments")


def test_signed_statement_put_by_statement_id_is_stored(xapi: XAPIClient, signer: Key) -> None:
    original = statement()
    jws = sign(original, signer, x5c=[certificate(signer, "Moodle site")])
    statement_id = str(uuid.uuid4())
    response = xapi.put(f"/xapi/statements?statementId={statement_id}", data=multipart(signed(original, jws), jws),
                        content_type=f"multipart/mixed; boundary={BOUNDARY}")
    assert response.status_code == 204, response.get_json()
    assert not not_stored(xapi, statement_id)


def test_statement_changed_after_signing_is_400_naming_what_changed(xapi: XAPIClient, signer: Key) -> None:
    original = original_statement()
    jws = sign(original, signer, x5c=[certificate(signer, "Moodle site")])
    changed = {**original, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}}
    message = refused(post(xapi, [signed(changed, jws)], jws), "payload is not this statement", "verb")
    assert "actor" not in message
    assert not_stored(xapi, original["id"])


def test_signature_for_another_statement_id_is_400(xapi: XAPIClient, signer: Key) -> None:
    original = original_statement()
    jws = sign({**original, "id": str(uuid.uuid4())}, signer, x5c=[certificate(signer, "Moodle site")])
    refused(post(xapi, [signed(original, jws)], jws), "payload is not this statement", "id")


def test_jws_whose_payload_was_replaced_fails_its_signature(xapi: XAPIClient, signer: Key) -> None:
    original = original_statement()
    header, _, signature = sign(original, signer, x5c=[certificate(signer, "Moodle site")]).split(b".")
    tampered = {**original, "result": {"success": True}}
    jws = b".".join([header, b64url(json.dumps(tampered).encode()).encode(), signature])
    refused(post(xapi, [signed(tampered, jws)], jws), "does not verify", "first certificate")
    assert not_stored(xapi, original["id"])


def test_signature_made_with_another_key_than_the_certificates_is_400(
        xapi: XAPIClient, signer: Key, stranger: Key) -> None:
    original = original_statement()
    jws = sign(original, stranger, x5c=[certificate(signer, "Moodle site")])
    refused(post(xapi, [signed(original, jws)], jws), "does not verify")
    assert not_stored(xapi, original["id"])


def rs1(original: dict[str, Any], key: Key) -> bytes:
    """RSA with SHA-1, which JWS never defined: signed by hand."""
    header = b64url(json.dumps({"alg": "RS1"}).encode())
    body = b64url(json.dumps(original).encode())
    signature = key.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA1())
    return f"{header}.{body}.{b64url(signature)}".encode()


WRONG_ALGORITHMS = {
    "HS256, the statement signed with a shared secret": lambda s, key: sign(s, "a secret the partnership shares with Moodle", "HS256"),
    "none, an unsecured JWS": lambda s, key: hand_made_jws({"alg": "none"}, s),
    "RS1": rs1,
    "PS256, RSA but not PKCS #1 v1.5": lambda s, key: sign(s, key, "PS256"),
    "no alg at all": lambda s, key: hand_made_jws({"typ": "JWT"}, s, b"x"),
}


@pytest.mark.parametrize("make", WRONG_ALGORITHMS.values(), ids=list(WRONG_ALGORITHMS))
def test_signature_with_an_algorithm_other_than_rs256_384_512_is_400(
        xapi: XAPIClient, signer: Key, make: Any) -> None:
    original = original_statement()
    jws = make(original, signer)
    refused(post(xapi, [signed(original, jws)], jws), "RS256, RS384 or RS512")
    assert not_stored(xapi, original["id"])


def test_algorithm_must_be_the_one_the_certificate_verifies_with(xapi: XAPIClient, signer: Key) -> None:
    """An RS256 signature relabelled RS512 is no RS512 signature."""
    original = original_statement()
    _, payload, signature = sign(original, signer, x5c=[certificate(signer, "Moodle site")]).split(b".")
    header = b64url(json.dumps({"alg": "RS512", "x5c": [certificate(signer, "Moodle site")]}).encode()).encode()
    jws = b".".join([header, payload, signature])
    refused(post(xapi, [signed(original, jws)], jws), "RS512 signature does not verify")


MALFORMED = {
    "plain text": (b"this is not a signature", "not a JWS compact serialization"),
    "two parts": (b"eyJhbGciOiJSUzI1NiJ9.e30", "not a JWS compact serialization"),
    "header not base64url": (b"!!!.e30.c2ln", "not a JWS compact serialization"),
    "header a JSON array": (f"{b64url(b'[1]')}.e30.c2ln".encode(), "not a JWS compact serialization"),
    "not ASCII": ("é.é.é".encode(), "not ASCII"),
    "the JSON serialization": (json.dumps({"payload": "e30", "signatures": []}).encode(), "JSON serialization"),
}


@pytest.mark.parametrize("jws, words", MALFORMED.values(), ids=list(MALFORMED))
def test_malformed_jws_is_400(xapi: XAPIClient, jws: bytes, words: str) -> None:
    original = original_statement()
    refused(post(xapi, [signed(original, jws)], jws), words)
    assert not_stored(xapi, original["id"])


def test_payload_that_is_not_json_is_400(xapi: XAPIClient, signer: Key) -> None:
    """XAPI-00116, as the ADL suite breaks it: the first double quote of the JSON made a single quote."""
    original = original_statement()
    jws = sign(json.dumps(original).replace('"', "'", 1).encode(), signer)
    refused(post(xapi, [signed(original, jws)], jws), "JWS payload is not valid JSON")


def test_payload_that_is_json_but_no_statement_is_400(xapi: XAPIClient, signer: Key) -> None:
    original = original_statement()
    jws = sign([original], signer)
    refused(post(xapi, [signed(original, jws)], jws), "payload is a JSON array")


BAD_CERTIFICATES = {
    "not base64": (lambda key: ["not base64 at all!"], "not a base64 DER X.509 certificate"),
    "base64 of no certificate": (lambda key: [base64.b64encode(b"garbage").decode()],
                                 "not a base64 DER X.509 certificate"),
    "base64url rather than base64": (lambda key: [certificate(key, "a").replace("+", "-").replace("/", "_")
                                                  + "-_"], "not a base64 DER X.509 certificate"),
    "a number": (lambda key: [42], "not a base64 DER X.509 certificate"),
    "an empty chain": (lambda key: [], "x5c must be an array"),
    "a string rather than an array": (lambda key: certificate(key, "a"), "x5c must be an array"),
}


@pytest.mark.parametrize("make, words", BAD_CERTIFICATES.values(), ids=list(BAD_CERTIFICATES))
def test_unreadable_certificate_is_400(xapi: XAPIClient, signer: Key, make: Any, words: str) -> None:
    original = original_statement()
    jws = sign(original, signer, x5c=make(signer))
    refused(post(xapi, [signed(original, jws)], jws), words)


def test_certificate_whose_key_is_not_rsa_is_400(xapi: XAPIClient, signer: Key) -> None:
    """An RS256 signature can only be checked with an RSA key; an elliptic-curve certificate cannot be the signer's."""
    curve_key = ec.generate_private_key(ec.SECP256R1())
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    curve_certificate = (x509.CertificateBuilder()
                         .subject_name(name("Moodle site")).issuer_name(name("Moodle site"))
                         .public_key(curve_key.public_key()).serial_number(x509.random_serial_number())
                         .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=365))
                         .sign(curve_key, hashes.SHA256()))
    original = original_statement()
    jws = sign(original, signer, x5c=[base64.b64encode(curve_certificate.public_bytes(serialization.Encoding.DER))
                                      .decode()])
    refused(post(xapi, [signed(original, jws)], jws), "holds no RSA key")


def test_chain_whose_certificate_is_not_signed_by_the_next_is_400(
        xapi: XAPIClient, signer: Key, authority_key: Key, stranger: Key) -> None:
    """The next certificate has the issuer's name but another key: an impostor authority."""
    original = original_statement()
    chain = [certificate(signer, "Moodle site", authority_key, "Partnership CA"),
             certificate(stranger, "Partnership CA")]
    jws = sign(original, signer, x5c=chain)
    refused(post(xapi, [signed(original, jws)], jws), "certificate 1 is not signed by the key of certificate 2")


def test_chain_whose_next_certificate_is_another_authority_is_400(
        xapi: XAPIClient, signer: Key, authority_key: Key) -> None:
    original = original_statement()
    chain = [certificate(signer, "Moodle site", authority_key, "Partnership CA"),
             certificate(authority_key, "Somebody else")]
    jws = sign(original, signer, x5c=chain)
    refused(post(xapi, [signed(original, jws)], jws), "certificate 1 was not issued by certificate 2")


def openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make SHA-1 certificates")
def test_chain_signed_with_sha1_as_in_the_specs_example_is_checked(
        xapi: XAPIClient, signer: Key, stranger: Key, tmp_path: Path) -> None:
    """Data Appendix D's chain is sha1WithRSAEncryption, which `cryptography` no longer makes nor checks directly."""
    def pem(key: Key, file: str) -> str:
        path = tmp_path / file
        path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        return str(path)

    def der_b64(file: str) -> str:
        return base64.b64encode(x509.load_pem_x509_certificate((tmp_path / file).read_bytes())
                                .public_bytes(serialization.Encoding.DER)).decode()

    ca_key, leaf_key = pem(stranger, "ca.key"), pem(signer, "leaf.key")
    openssl("req", "-x509", "-sha1", "-key", ca_key, "-subj", "/CN=Example CA", "-days", "1", "-out",
            str(tmp_path / "ca.pem"))
    openssl("req", "-new", "-key", leaf_key, "-subj", "/CN=Example", "-out", str(tmp_path / "leaf.csr"))
    openssl("x509", "-req", "-sha1", "-in", str(tmp_path / "leaf.csr"), "-CA", str(tmp_path / "ca.pem"),
            "-CAkey", ca_key, "-set_serial", "2", "-days", "1", "-out", str(tmp_path / "leaf.pem"))
    chain = [der_b64("leaf.pem"), der_b64("ca.pem")]
    original = original_statement()
    jws = sign(original, signer, x5c=chain)
    assert post(xapi, [signed(original, jws)], jws).status_code == 200
    openssl("req", "-x509", "-sha1", "-key", leaf_key, "-subj", "/CN=Example CA", "-days", "1", "-out",
            str(tmp_path / "impostor.pem"))  # the authority's name, another key
    forged = original_statement()
    jws = sign(forged, signer, x5c=[chain[0], der_b64("impostor.pem")])
    refused(post(xapi, [signed(forged, jws)], jws), "certificate 1 is not signed by the key of certificate 2")


def test_signature_attachment_that_is_not_octet_stream_is_400(xapi: XAPIClient, signer: Key) -> None:
    """XAPI-00115: the suite sends a good JWS declared as text/plain."""
    original = original_statement()
    jws = sign(original, signer)
    response = post(xapi, [signed(original, jws, content_type="text/plain; charset=ascii")], jws,
                    content_type="text/plain; charset=ascii")
    assert response.status_code == 400
    assert "application/octet-stream" in response.get_json()["error"]["message"]
    assert not_stored(xapi, original["id"])


def test_signature_attachment_sent_only_as_a_file_url_is_400(xapi: XAPIClient, signer: Key) -> None:
    original = original_statement()
    jws = sign(original, signer)
    body = json.dumps([signed(original, jws, fileUrl="https://lms.example/signatures/1.jws")])
    response = xapi.post("/xapi/statements", data=body, content_type="application/json")
    refused(response, "must be sent as a part")


def test_batch_with_one_bad_signature_stores_none_of_its_statements(
        xapi: XAPIClient, signer: Key, stranger: Key) -> None:
    good, plain, bad = original_statement(), original_statement(), original_statement()
    good_jws = sign(good, signer, x5c=[certificate(signer, "Moodle site")])
    bad_jws = sign(bad, stranger, x5c=[certificate(signer, "Moodle site")])
    response = post(xapi, [signed(good, good_jws), plain, signed(bad, bad_jws)], good_jws, bad_jws)
    message = refused(response, "does not verify")
    assert response.get_json()["error"]["path"] == "statements[2].attachments[0]", message
    assert all(not_stored(xapi, s["id"]) for s in (good, plain, bad))
    assert xapi.get("/xapi/statements").get_json()["statements"] == []
