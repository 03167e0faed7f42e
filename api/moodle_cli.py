"""`slrs moodle ...`: the Moodle bridge's links and pending statements from the command line, as the partnership.

The same `MoodleLinks` service as /api/v1/moodle, acting as the partnership
(credential `cli`, as `slrs import` does). Needs SLRS_PLUGINS=moodle_bridge.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from domain.actor import Actor

if TYPE_CHECKING:
    from plugins.moodle_bridge.service import LinkDetails, MoodleLinks

CLI = Actor("cli")


@contextmanager
def _links() -> Iterator[MoodleLinks]:
    """The bridge's service on this deployment's stores; a records error is printed, exit status 2."""
    from api.app import Services
    from domain.errors import RecordsError
    from plugins.moodle_bridge.service import MoodleLinks

    services = Services.from_env()
    try:
        if "moodle_bridge" not in services.followers():
            click.echo("error: the Moodle bridge is not enabled: set SLRS_PLUGINS=moodle_bridge", err=True)
            sys.exit(2)
        yield MoodleLinks(services.tracking_store("moodle_bridge"), services.records, services.lrs)
    except RecordsError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    finally:
        services.close()


def _show(link: LinkDetails, made: bool | None = None) -> None:
    said = "" if made is None else ("linked\t" if made else "linked before\t")
    key = json.dumps(link.identity, separators=(",", ":")) if link.identity else link.key
    click.echo(f"{said}{link.id}\t{link.kind}\t{key}\t{link.target}")


@click.group()
def moodle() -> None:
    """The Moodle bridge: link identities, activities and sessions; see pending statements."""


@moodle.command("link-identity")
@click.option("--worker", required=True)
@click.option("--account-home-page", help="with --account-name: a Moodle site's URL")
@click.option("--account-name", help="the learner's account name there (Moodle: the user id)")
@click.option("--mbox", help="mailto:...")
@click.option("--mbox-sha1sum")
@click.option("--openid")
def link_identity(worker: str, account_home_page: str | None, account_name: str | None, mbox: str | None,
                  mbox_sha1sum: str | None, openid: str | None) -> None:
    """Link one xAPI identity to WORKER: statements of that actor count for them."""
    agent: dict[str, Any] = {"mbox": mbox, "mbox_sha1sum": mbox_sha1sum, "openid": openid}
    if account_home_page or account_name:
        agent["account"] = {"homePage": account_home_page or "", "name": account_name or ""}
    with _links() as links:
        _show(*links.link_identity(CLI, {k: v for k, v in agent.items() if v is not None}, worker))


def _linker(method: Callable[[MoodleLinks], Callable[..., tuple[LinkDetails, bool]]], *args: str) -> None:
    with _links() as links:
        _show(*method(links)(CLI, *args))


@moodle.command("link-activity")
@click.option("--activity", required=True, help="the IRI Moodle's statements name")
@click.option("--course", required=True)
def link_activity(activity: str, course: str) -> None:
    """Link a Moodle course or activity to COURSE: its completions count for it."""
    _linker(lambda links: links.link_activity, activity, course)


@moodle.command("link-session")
@click.option("--activity", required=True, help="the face-to-face activity's IRI")
@click.option("--session", required=True)
def link_session(activity: str, session: str) -> None:
    """Link a face-to-face activity to one of its sessions."""
    _linker(lambda links: links.link_session, activity, session)


@moodle.command("choose-session")
@click.option("--statement", required=True, help="the LRS id of the pending statement")
@click.option("--session", required=True)
def choose_session(statement: str, session: str) -> None:
    """Say which session a pending face-to-face statement is about."""
    _linker(lambda links: links.choose_session, statement, session)


@moodle.command("unlink")
@click.argument("kind", type=click.Choice(["identity", "activity", "session", "choice"]))
@click.argument("link")
def unlink(kind: str, link: str) -> None:
    """Remove the standing link LINK (its id, as `slrs moodle links` shows) of KIND."""
    with _links() as links:
        _show(links.remove_link(CLI, kind, link))


@moodle.command("links")
@click.option("--kind", type=click.Choice(["identity", "activity", "session", "choice"]))
def list_links(kind: str | None) -> None:
    """Every standing link: id, kind, key, target."""
    with _links() as links:
        for link in links.list_links(CLI, kind):
            _show(link)


@moodle.command("statements")
@click.option("--status", default="pending", show_default=True,
              type=click.Choice(["applied", "none", "pending", "refused", "voided", "reverted"]))
def list_statements(status: str) -> None:
    """Statements of one outcome, oldest first: id, Moodle event, what it waits on, why."""
    with _links() as links:
        for found in links.list_statements(CLI, status):
            who = json.dumps(found.identity, separators=(",", ":")) if found.identity else found.worker or ""
            click.echo(f"{found.statement_id}\t{found.event}\t{found.waiting_on or found.status}\t{who}\t"
                       f"{found.reason}")
