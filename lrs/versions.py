"""The two xAPI versions this LRS speaks, side by side: 1.0.3 and 2.0.0 (IEEE 9274.1.1-2023).

A request says which it speaks in its X-Experience-API-Version header
(Communication 3.3); `negotiate` turns that header into one of `XAPI_1` or
`XAPI_2`, the version the request is validated and answered by. Statements
keep the version they were accepted with (Data 2.4.10); what a reader of the
other version sees is decided here, once:

- a 1.0.3 reader gets a 2.0 statement downgraded (`downgrade`): the
  properties 1.0.3 does not know (`context.contextAgents`,
  `context.contextGroups`) left out and `version` "1.0.0", so a 1.0.3 client
  (and the 1.0.3 conformance battery) never meets a property its data model
  refuses;
- a 2.0 reader gets every statement as it was stored: 2.0 accepts 1.0.x
  statements as they are.

Nothing stored changes: a downgrade is a view of the stored statement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from lrs.errors import BadRequestError

XAPI_1: Final = "1.0.3"
XAPI_2: Final = "2.0.0"
# Communication 2.8 (About): every version the LRS accepts, in order.
ABOUT_VERSIONS: Final = ("1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0")
# Communication 3.3: "1.0" or "1.0.x" is a 1.0.3 request, "2.0" or "2.0.x" a 2.0.0 request; nothing else.
_HEADER = re.compile(r"^(1|2)\.0(?:\.\d+)?$")
# What a downgraded statement says it is (1.0.3 Data 2.4.10: the version a 1.0.x LRS assumes).
DOWNGRADED_VERSION: Final = "1.0.0"
# 2.0 Data 2.4.6 (Context): the properties 2.0 added, unknown to 1.0.3.
CONTEXT_2_ONLY: Final = ("contextAgents", "contextGroups")


def negotiate(header: str | None) -> str:
    """The version (`XAPI_1` or `XAPI_2`) a request's X-Experience-API-Version header asks for.

    Raises BadRequestError (400, Communication 3.3.s4.b1) when the header is
    missing or names a version this LRS does not speak (1.1, 0.95, 3.0, ...).
    """
    if header is None:
        raise BadRequestError("the X-Experience-API-Version header is required: send 2.0.0 or 1.0.3")
    match = _HEADER.match(header.strip())
    if match is None:
        raise BadRequestError(f"X-Experience-API-Version {header!r} is not supported; "
                              "send 2.0.0 (or 2.0.x), or 1.0.3 (1.0.0 to 1.0.x)")
    return XAPI_2 if match.group(1) == "2" else XAPI_1


def is_2(version: str) -> bool:
    """Whether a statement's `version` property (or a negotiated version) is an xAPI 2.0 one."""
    return version == "2.0" or version.startswith("2.0.")


def downgrade(statement: Mapping[str, Any]) -> dict[str, Any]:
    """A statement as a 1.0.3 reader may see it (a copy; the statement given is not changed).

    `contextAgents` and `contextGroups` are left out of its context (and of a
    sub-statement's), even in a statement a 2.0 client sent with a 1.0.x
    version, and a 2.0.x `version` becomes "1.0.0". A 1.0.x statement without
    them is returned as it is.
    """
    out = dict(statement)
    if is_2(str(out.get("version", ""))):
        out["version"] = DOWNGRADED_VERSION
    return _without_2_context(out)


def _without_2_context(statement: dict[str, Any]) -> dict[str, Any]:
    context = statement.get("context")
    if isinstance(context, dict) and any(key in context for key in CONTEXT_2_ONLY):
        statement["context"] = {k: v for k, v in context.items() if k not in CONTEXT_2_ONLY}
    obj = statement.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        statement["object"] = _without_2_context(dict(obj))
    return statement


def for_reader(statement: Mapping[str, Any], version: str) -> dict[str, Any]:
    """The statement as a reader speaking `version` (`XAPI_1` or `XAPI_2`) gets it; a 2.0 reader gets it as stored."""
    return downgrade(statement) if version == XAPI_1 else dict(statement)


def guards_state_put(version: str) -> bool:
    """Whether a PUT to the State resource needs If-Match or If-None-Match to replace a stored document.

    xAPI 2.0 Communication 3.1 brings the State resource under concurrency
    control, as the profile resources were in 1.0.3: a 2.0 PUT without either
    header that would replace a stored State document is a 409. A 1.0.3 PUT
    replaces it, as 1.0.3 Communication 2.3 allows.
    """
    return version == XAPI_2
