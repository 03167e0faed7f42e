"""HTTP Basic authentication against stored credentials, and the xAPI scope check."""

from __future__ import annotations

import base64

from flask import current_app, g, request
from werkzeug.exceptions import Forbidden, Unauthorized

from lrs.credentials import CredentialInfo

READ_SCOPES = ("statements/read", "statements/read/mine", "all/read", "all")
WRITE_SCOPES = ("statements/write", "all")
# The training records (README "Scopes"): `all` grants every scope, `all/read` every read but the audit trail.
# A record's own history is part of reading that record, so records/read grants it as audit/read does.
RECORDS_READ_SCOPES = ("records/read", "all/read", "all")
RECORDS_WRITE_SCOPES = ("records/write", "all")
HISTORY_SCOPES = ("records/read", "audit/read", "all/read", "all")
REPORTS_READ_SCOPES = ("reports/read", "all/read", "all")
AUDIT_READ_SCOPES = ("audit/read", "all")


def authenticate() -> CredentialInfo:
    """The credential of this request, or 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise Unauthorized("this LRS needs HTTP Basic credentials (Authorization: Basic ...)")
    try:
        key, sep, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except ValueError:  # binascii.Error, UnicodeDecodeError, and non-ASCII characters in the header
        raise Unauthorized("the Authorization header is not valid HTTP Basic") from None
    credential = current_app.extensions["slrs"].credentials.authenticate(key, secret) if sep else None
    if credential is None:
        raise Unauthorized("unknown key, wrong secret, or a revoked credential")
    g.credential = credential
    return credential


def require(*scopes: str) -> CredentialInfo:
    """The request's credential if it holds one of `scopes`, else 403."""
    credential: CredentialInfo = g.credential
    if not credential.allows(*scopes):
        raise Forbidden(f"this credential's scopes {sorted(credential.scopes)} allow none of {list(scopes)}")
    return credential
