"""Checks for the attachments array of a Statement."""

from __future__ import annotations

from lrs.validation.primitives import fail, is_iri, is_media_type, is_sha2_hex, json_type, show
from lrs.validation.structures import check_iri, check_language_map, expect_array, expect_object, reject_unknown

# xAPI 1.0.3 Data 2.4.11.s2.table1
ATTACHMENT_KEYS = frozenset(("usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"))
REQUIRED_KEYS = ("usageType", "display", "contentType", "length", "sha2")
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"


def check_attachment(value: object, path: str) -> None:
    """One Attachment object."""
    attachment = expect_object(value, path, "attachment")
    if not attachment.keys() <= ATTACHMENT_KEYS:
        reject_unknown(attachment, ATTACHMENT_KEYS, path, "attachment")
    for key in REQUIRED_KEYS:
        if key not in attachment:
            fail(f"{path}.{key}", f"attachment.{key} is required")
    usage = attachment["usageType"]
    if not is_iri(usage):
        check_iri(usage, f"{path}.usageType", "attachment.usageType")
    check_language_map(attachment["display"], f"{path}.display", "attachment.display")
    if "description" in attachment:
        check_language_map(attachment["description"], f"{path}.description", "attachment.description")
    content_type = attachment["contentType"]
    if not is_media_type(content_type):
        # xAPI 1.0.3 Data 2.4.11.s2.table1.row4: an Internet Media Type
        fail(
            f"{path}.contentType",
            f'attachment.contentType must be a media type like "text/plain", got {show(content_type)}',
        )
    if usage == SIGNATURE_USAGE and content_type.split(";", 1)[0].strip().lower() != "application/octet-stream":
        # xAPI 1.0.3 Data 2.6.s4.b1: the JWS signature attachment is application/octet-stream
        fail(
            f"{path}.contentType",
            f'a signature attachment (usageType "{SIGNATURE_USAGE}") must have contentType '
            f'"application/octet-stream", got {show(content_type)}',
        )
    length = attachment["length"]
    cls = length.__class__
    if not ((cls is int and length >= 0) or (cls is float and length.is_integer() and length >= 0)):
        # xAPI 1.0.3 Data 2.4.11.s2.table1.row5: an Integer (octets), so never negative
        fail(
            f"{path}.length",
            f"attachment.length must be a non-negative integer, got {json_type(length)} {show(length)}",
        )
    sha2 = attachment["sha2"]
    if not is_sha2_hex(sha2):
        # xAPI 1.0.3 Data 2.4.11.s2.table1.row6 / Communication 1.5.2: hex SHA-2 of the attachment data
        fail(
            f"{path}.sha2",
            f"attachment.sha2 must be a hex SHA-2 digest (e.g. 64 hex digits for SHA-256), got {show(sha2)}",
        )
    if "fileUrl" in attachment:
        url = attachment["fileUrl"]
        if not is_iri(url):
            check_iri(url, f"{path}.fileUrl", "attachment.fileUrl (an IRL)")


def check_attachments(value: object, path: str) -> None:
    """The attachments property: an array of Attachment objects."""
    # xAPI 1.0.3 Data 2.4.s1.table1.row11
    for i, attachment in enumerate(expect_array(value, path, "attachments")):
        check_attachment(attachment, f"{path}[{i}]")
