"""Checks for Agents, Groups, account objects and the statement authority."""

from __future__ import annotations

from typing import Any

from lrs.validation.primitives import fail, is_iri, is_mailto, is_sha1_hex, json_type, show
from lrs.validation.structures import check_iri, check_string, expect_array, expect_object, reject_unknown

# xAPI 1.0.3 Data 2.4.2.1 (Agent), 2.4.2.2 (Group), 2.4.2.3 (IFIs), 2.4.2.4 (Account)
IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
AGENT_KEYS = frozenset(("objectType", "name") + IFI_KEYS)
GROUP_KEYS = AGENT_KEYS | {"member"}
ACCOUNT_KEYS = frozenset(("homePage", "name"))


def _check_account(value: object, path: str) -> None:
    account = expect_object(value, path, "account")
    # xAPI 1.0.3 Data 2.4.2.4: homePage (IRL) and name (string), both required, nothing else
    if not account.keys() <= ACCOUNT_KEYS:
        reject_unknown(account, ACCOUNT_KEYS, path, "account")
    if "homePage" not in account:
        fail(f"{path}.homePage", "account.homePage is required (the IRL of the system the account is on)")
    home = account["homePage"]
    if not is_iri(home):
        check_iri(home, f"{path}.homePage", "account.homePage")
    if "name" not in account:
        fail(f"{path}.name", "account.name is required (the login name or id on that system)")
    check_string(account["name"], f"{path}.name", "account.name")


def _check_ifis(obj: dict[str, Any], path: str, what: str, required: bool) -> int:
    """Validate each inverse functional identifier present; return how many there are."""
    found = [key for key in IFI_KEYS if key in obj]
    if len(found) > 1:
        # xAPI 1.0.3 Data 2.4.2.1.s2.b2 and 2.4.2.2.s5.b1: exactly one IFI
        fail(
            f"{path}.{found[1]}",
            f"{what} must have exactly one inverse functional identifier, found {' and '.join(found)}",
        )
    if not found:
        if required:
            # xAPI 1.0.3 Data 2.4.2.1.s2.b1
            fail(path, f"{what} must have one inverse functional identifier: mbox, mbox_sha1sum, openid or account")
        return 0
    key = found[0]
    value = obj[key]
    if key == "mbox":
        # xAPI 1.0.3 Data 2.4.2.3.s3.table1.row1: "mailto:email address"
        if not is_mailto(value):
            if value.__class__ is str:
                fail(f"{path}.mbox", f'mbox must be a "mailto:" IRI holding an e-mail address, got {show(value)}')
            fail(f"{path}.mbox", f"mbox must be a string, got {json_type(value)} {show(value)}")
    elif key == "mbox_sha1sum":
        # xAPI 1.0.3 Data 2.4.2.3.s3.table1.row2: hex-encoded SHA-1
        if not is_sha1_hex(value):
            fail(
                f"{path}.mbox_sha1sum",
                f"mbox_sha1sum must be 40 hexadecimal digits (a SHA-1 hash), got {show(value)}",
            )
    elif key == "openid":
        # xAPI 1.0.3 Data 2.4.2.3.s3.table1.row3: URI
        if not is_iri(value):
            check_iri(value, f"{path}.openid", "openid")
    else:
        _check_account(value, f"{path}.account")
    return 1


def _check_name(obj: dict[str, Any], path: str) -> None:
    if "name" in obj:
        name = obj["name"]
        if name.__class__ is not str:
            fail(f"{path}.name", f"name must be a string, got {json_type(name)} {show(name)}")


def check_agent(obj: dict[str, Any], path: str) -> None:
    """An Agent object whose objectType (if any) is already known to be "Agent"."""
    if not obj.keys() <= AGENT_KEYS:
        if "member" in obj and "objectType" not in obj:
            fail(f"{path}.member", 'only Groups have "member"; a Group must say "objectType": "Group"')
        reject_unknown(obj, AGENT_KEYS, path, "Agent")
    _check_name(obj, path)
    _check_ifis(obj, path, "an Agent", True)


def check_group(obj: dict[str, Any], path: str) -> int:
    """A Group object (objectType already "Group"); returns its number of members."""
    if not obj.keys() <= GROUP_KEYS:
        reject_unknown(obj, GROUP_KEYS, path, "Group")
    _check_name(obj, path)
    identified = _check_ifis(obj, path, "an identified Group", False)
    if "member" not in obj:
        if not identified:
            # xAPI 1.0.3 Data 2.4.2.2.s4.b1: anonymous Groups list their members
            fail(
                f"{path}.member",
                "an anonymous Group (one without mbox, mbox_sha1sum, openid or account) requires \"member\"",
            )
        return 0
    mpath = f"{path}.member"
    members = expect_array(obj["member"], mpath, "Group member")
    for i, member in enumerate(members):
        ipath = f"{mpath}[{i}]"
        agent = expect_object(member, ipath, "a Group member")
        if "objectType" in agent:
            kind = agent["objectType"]
            if kind != "Agent":
                if kind == "Group":
                    # xAPI 1.0.3 Data 2.4.2.2.s4.b2 and 2.4.2.2.s5.b2
                    fail(f"{ipath}.objectType", "Group members must be Agents; a Group cannot contain a Group")
                fail(f"{ipath}.objectType", f'a Group member\'s objectType must be "Agent", got {show(kind)}')
        check_agent(agent, ipath)
    return len(members)


def check_actor(value: object, path: str, what: str = "actor", *, object_type_required: bool = False) -> str:
    """An Agent or a Group; returns "Agent" or "Group"."""
    obj = expect_object(value, path, what)
    if "objectType" not in obj:
        if object_type_required:
            # xAPI 1.0.3 Data 2.4.4.2.s1.b1 (enforced by the caller's dispatch; kept for direct use)
            fail(f"{path}.objectType", f'{what} must state "objectType" ("Agent" or "Group")')
        check_agent(obj, path)
        return "Agent"
    kind = obj["objectType"]
    if kind == "Agent":
        check_agent(obj, path)
        return "Agent"
    if kind == "Group":
        check_group(obj, path)
        return "Group"
    # xAPI 1.0.3 Data 2.2.s4.b1.b6: enumerated values match exactly, case included
    fail(f"{path}.objectType", f'{what} objectType must be "Agent" or "Group" (case-sensitive), got {show(kind)}')


def check_group_only(value: object, path: str, what: str) -> None:
    """A Group (objectType "Group" is mandatory), e.g. context.team."""
    obj = expect_object(value, path, what)
    kind = obj.get("objectType")
    if kind != "Group":
        # xAPI 1.0.3 Data 2.4.6.s3.table1.row3: team is a Group
        fail(f"{path}.objectType", f'{what} must be a Group with "objectType": "Group", got objectType {show(kind)}')
    check_group(obj, path)


def check_authority(value: object, path: str) -> None:
    """An Agent, or for 3-legged OAuth an anonymous Group of exactly two Agents."""
    # xAPI 1.0.3 Data 2.4.9.s3.b1
    kind = check_actor(value, path, "authority")
    if kind == "Group":
        obj: dict[str, Any] = value  # type: ignore[assignment]
        for key in IFI_KEYS:
            if key in obj:
                fail(
                    f"{path}.{key}",
                    "an authority Group must be anonymous: two member Agents (OAuth consumer and user) only",
                )
        count = len(obj["member"])
        if count != 2:
            message = f"an authority Group must have exactly two member Agents (OAuth consumer and user), got {count}"
            fail(f"{path}.member", message)
