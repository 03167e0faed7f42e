"""Signed statements: the JWS signature attachment verified as xAPI 1.0.3 Data 2.6 asks (and 2.0, which keeps it).

A signed statement carries an attachment of usageType
`http://adlnet.gov/expapi/attachments/signature` whose part is a JWS compact
serialization (RFC 7515 7.1). The LRS must refuse a malformed signature with
400 (Data 2.6, LRS Requirements), and to know it is well formed it:

- decodes the JWS and reads the statement it signed from its payload;
- checks that statement is the one received, under the statement comparison
  rules (Data 2.3.1), the signature attachment itself left out: it was added
  after signing;
- checks the algorithm is RS256, RS384 or RS512 (Data 2.6.s4.b4);
- when the header has `x5c`, checks the signature with the public key of its
  first certificate, and that each certificate of the chain is signed by the
  next (RFC 7515 4.1.6).

As the spec's note says, the certificate check catches mistakes; it is not
authentication: no certificate is trusted, and expiry is not checked (the
spec's own example certificate expired in 2014). PyJWT parses the JWS and
checks its signature; `cryptography` reads the certificates and checks the
chain.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jwt
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.padding import AsymmetricPadding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from lrs.attachments import AttachmentPart
from lrs.equivalence import comparable, same_statement
from lrs.errors import BadRequestError, InvalidSignatureError
from lrs.json_input import parse_json
from lrs.validation.attachments import SIGNATURE_USAGE
from lrs.validation.primitives import json_type

ALGORITHMS = ("RS256", "RS384", "RS512")  # xAPI 1.0.3 Data 2.6.s4.b4

# How a statement and the one its signature holds are compared: Data 2.3.1 by default;
# a version whose comparison rules differ passes its own.
Comparison = Callable[[Mapping[str, Any], Mapping[str, Any]], bool]


def check_signatures(statements: Sequence[Any], parts: Sequence[AttachmentPart],
                     same: Comparison = same_statement) -> None:
    """Verify the signature of every signed statement of a batch (Data 2.6); return None if all hold.

    `statements` are as the client sent them (already validated, so each is a
    dict and its attachments well formed), `parts` the attachment parts of the
    request (their hashes already checked against their content), `same` the
    statement comparison of the batch's xAPI version. A statement is signed when
    one of its attachments has the signature usageType; each such attachment is
    verified. Raises InvalidSignatureError (a 400) naming the statement and
    attachment (`statements[i].attachments[j]`) and what is wrong.
    """
    contents = {part.sha2.lower(): part.content for part in parts}
    for i, statement in enumerate(statements):
        for j, attachment in enumerate(statement.get("attachments", ())):
            if attachment["usageType"] == SIGNATURE_USAGE:
                path = f"statements[{i}].attachments[{j}]"
                jws = contents.get(attachment["sha2"].lower())
                if jws is None:
                    # Data 2.6.s4.b1: the JWS is the attachment's content, so it must be sent (XAPI-00115)
                    raise InvalidSignatureError("a signature attachment must be sent as a part of a "
                                                "multipart/mixed request: its content is the JWS", path)
                original = _without(statement, j)
                verify_signature(original, jws, path, same)


def verify_signature(original: Mapping[str, Any], jws: bytes, path: str = "signature",
                     same: Comparison = same_statement) -> None:
    """Check that `jws` (the attachment's bytes) is a valid signature of `original`, the statement before signing.

    Data 2.6: the JWS compact serialization, algorithm RS256/RS384/RS512, its
    payload a JSON object that is `original` under `same` (with the ids equal
    when both have one), and, when the header has x5c, a signature that verifies
    with the first certificate's RSA key, each certificate signed by the next.
    Raises InvalidSignatureError with `path` and the reason.
    """
    text = _compact(jws, path)
    header = _header(text, path)
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        # Data 2.6.s4.b4 (XAPI-00117): the RSA + SHA family only; "none" and HMAC are refused
        raise InvalidSignatureError(f"the JWS algorithm must be RS256, RS384 or RS512, not {algorithm!r}", path)
    payload = _payload(text, algorithm, header, path)
    if not _same_statement(original, payload, same):
        # Data 2.6.s4.b3 (XAPI-00116), 2.6 LRS Requirements: the payload is the statement before signing
        raise InvalidSignatureError("the JWS payload is not this statement (Data 2.3.1 comparison, without the "
                                    f"signature attachment){_differences(original, payload)}: was the "
                                    "statement changed after it was signed?", path)


def _without(statement: Mapping[str, Any], index: int) -> dict[str, Any]:
    """The statement as it was before the signature attachment at `index` was added."""
    out = dict(statement)
    others = [a for k, a in enumerate(statement["attachments"]) if k != index]
    if others:
        out["attachments"] = others
    else:
        del out["attachments"]
    return out


def _compact(jws: bytes, path: str) -> str:
    """The JWS as text, if it has the compact serialization's shape."""
    try:
        text = jws.decode("ascii").strip()
    except UnicodeDecodeError:
        raise InvalidSignatureError("the signature is not a JWS compact serialization: it is not ASCII text "
                                    "(base64url header.payload.signature)", path) from None
    if text.startswith("{"):
        # Data 2.6.s4.b2: the JSON serialization is strongly discouraged (and 2.0 leaves only the compact one)
        raise InvalidSignatureError("the signature uses the JWS JSON serialization; send the compact "
                                    "serialization (header.payload.signature) instead", path)
    return text


def _header(text: str, path: str) -> dict[str, Any]:
    try:
        return jwt.get_unverified_header(text)
    except jwt.PyJWTError as error:
        raise InvalidSignatureError("the signature is not a JWS compact serialization (base64url "
                                    f"header.payload.signature, the header a JSON object): {error}", path) from None


def _payload(text: str, algorithm: str, header: Mapping[str, Any], path: str) -> Any:
    """The JSON of the payload, once the signature is checked against the x5c certificate (if any)."""
    try:
        if "x5c" in header:
            key = _signing_key(header["x5c"], algorithm, path)
            decoded = jwt.PyJWS().decode_complete(text, key=key, algorithms=[algorithm])
        else:
            # no certificate to check against: Data 2.6 asks for the signature check only with X.509
            decoded = jwt.PyJWS().decode_complete(text, options={"verify_signature": False})
    except jwt.InvalidSignatureError:
        raise InvalidSignatureError(f"the {algorithm} signature does not verify with the public key of the x5c "
                                    "header's first certificate: the JWS was changed, or signed with another key",
                                    path) from None
    except jwt.PyJWTError as error:
        raise InvalidSignatureError(f"the signature is not a well-formed JWS compact serialization: {error}",
                                    path) from None
    try:
        return parse_json(decoded["payload"], "the JWS payload")
    except BadRequestError as error:
        # Data 2.6.s4.b3 (XAPI-00116): a valid JSON serialization of the statement
        raise InvalidSignatureError(str(error), path) from None


def _signing_key(x5c: object, algorithm: str, path: str) -> RSAPublicKey:
    """The RSA key of the chain's first certificate, once each certificate is found signed by the next."""
    if not isinstance(x5c, list) or not x5c:
        raise InvalidSignatureError("the JWS header's x5c must be an array of base64 DER certificates, "
                                    "the signer's first", path)
    chain = [_certificate(value, n, path) for n, value in enumerate(x5c, start=1)]
    for n, (certificate, issuer) in enumerate(zip(chain, chain[1:]), start=1):
        _check_issued(certificate, issuer, n, path)
    key = chain[0].public_key()
    if not isinstance(key, RSAPublicKey):
        raise InvalidSignatureError(f"x5c certificate 1 holds no RSA key, so it cannot check an {algorithm} "
                                    "signature", path)
    return key


def _certificate(value: object, n: int, path: str) -> x509.Certificate:
    """RFC 7515 4.1.6: each x5c entry is the base64 (not base64url) DER of a certificate."""
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        loaded = x509.load_der_x509_certificate(base64.b64decode(value, validate=True))
        loaded.issuer, loaded.subject, loaded.public_key()  # parsed lazily: a fault shows here, not later
        return loaded
    except (ValueError, binascii.Error, UnsupportedAlgorithm, x509.InvalidVersion):
        raise InvalidSignatureError(f"x5c certificate {n} is not a base64 DER X.509 certificate", path) from None


def _check_issued(certificate: x509.Certificate, issuer: x509.Certificate, n: int, path: str) -> None:
    """RFC 7515 4.1.6: each certificate of the chain is certified by the next one."""
    if certificate.issuer != issuer.subject:
        raise InvalidSignatureError(f"x5c certificate {n} was not issued by certificate {n + 1}: its issuer "
                                    f"{certificate.issuer.rfc4514_string()!r} is not the next one's subject "
                                    f"{issuer.subject.rfc4514_string()!r}", path)
    try:
        certificate.verify_directly_issued_by(issuer)
    except InvalidSignature:
        raise InvalidSignatureError(f"x5c certificate {n} is not signed by the key of certificate {n + 1}",
                                    path) from None
    except (ValueError, TypeError, UnsupportedAlgorithm):
        if not _signed_with_rsa_by(certificate, issuer):
            raise InvalidSignatureError(f"x5c certificate {n} is not signed by the key of certificate {n + 1}, or "
                                        "is signed with an algorithm this LRS cannot check "
                                        f"({certificate.signature_algorithm_oid.dotted_string})", path) from None


def _signed_with_rsa_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """The check `verify_directly_issued_by` refuses to make, for RSA: with SHA-1, as in Data Appendix D's chain."""
    try:
        key = issuer.public_key()
        padding = certificate.signature_algorithm_parameters
        digest = certificate.signature_hash_algorithm
        if not isinstance(key, RSAPublicKey) or not isinstance(padding, AsymmetricPadding) or digest is None:
            return False
        key.verify(certificate.signature, certificate.tbs_certificate_bytes, padding, digest)
    except (InvalidSignature, TypeError, ValueError, UnsupportedAlgorithm):
        return False
    return True


def _same_statement(original: Mapping[str, Any], payload: Any, same: Comparison) -> bool:
    """Whether the payload is the original under `same`; a payload that is no statement is not."""
    if not isinstance(payload, dict):
        return False
    if "id" in payload and "id" in original and not _same_id(payload["id"], original["id"]):
        return False  # the signer named the statement: the LRS assigns an id only when it has none
    try:
        return same(original, payload)
    except (KeyError, TypeError, AttributeError, ValueError):
        return False  # the payload lacks or misshapes what the comparison reads, so it is not the statement


def _same_id(one: object, other: object) -> bool:
    try:
        return uuid.UUID(str(one)) == uuid.UUID(str(other))
    except ValueError:
        return False


def _differences(original: Mapping[str, Any], payload: Any) -> str:
    """`; properties that differ: ...`: the top-level properties the comparison sees differ, when it can say."""
    if not isinstance(payload, dict):
        return f"; the payload is a JSON {json_type(payload)}, not a statement object"
    try:
        mine, theirs = comparable(original), comparable(payload)
    except (KeyError, TypeError, AttributeError, ValueError):
        mine, theirs = dict(original), dict(payload)
    names = {key for key in mine.keys() | theirs.keys() if mine.get(key) != theirs.get(key)}
    if "id" in original and "id" in payload and not _same_id(original["id"], payload["id"]):
        names.add("id")
    return f"; properties that differ: {', '.join(sorted(names))}" if names else ""
