"""The `slrs` command: init, serve, follow, backup, rebuild-index, import, credentials."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from api.followers import FOLLOWERS, PLUGINS, enabled_plugins
from api.moodle_cli import moodle
from kernel.persistence import Storage
from lrs.credentials import SCOPES, CredentialError

if TYPE_CHECKING:
    from api.app import Services


def _services(create_tables: bool | None = None) -> Services:
    """The applications from the environment; on PostgreSQL only `slrs init` creates tables (concurrent creation fails)."""
    from api.app import Services

    return Services.from_env(create_tables=create_tables)


@click.group()
def main() -> None:
    """Safeguarding LRS: an event-sourced xAPI Learning Record Store."""


@main.command()
def init() -> None:
    """Create the tables, once, before any server starts."""
    services = _services(create_tables=True)
    for name in services.followers():
        services.tracking_store(name)  # creates its tables
    services.close()
    storage = services.storage
    where = storage.data_dir.resolve() if storage.engine == "sqlite" else "PostgreSQL"
    click.echo(f"initialised {storage.engine} storage in {where}")


@main.command()
@click.argument("name", required=False, type=click.Choice(sorted({**FOLLOWERS, **PLUGINS})))
@click.option("--all", "every", is_flag=True, help="every follower; each log is read once for all its followers")
@click.option("--interval", default=1.0, show_default=True, help="seconds between polls (SQLite) or wake-ups")
@click.option("--once", is_flag=True, help="catch up with the log, then exit")
@click.option("--rebuild", is_flag=True, help="forget what the follower applied and apply the whole log again first")
def follow(name: str | None, every: bool, interval: float, once: bool, rebuild: bool) -> None:
    """Run the follower NAME (or --all of them): apply the log it follows, resuming from its position."""
    import signal
    import threading

    from api.fanout import catch_up_together
    from kernel.follow import sleeper, supervise, waiter

    if (name is None) != every:
        raise click.UsageError("name one follower, or give --all (not both)")
    if name in PLUGINS and name not in enabled_plugins(Storage.from_env().environ):
        raise click.UsageError(f"{name} is a plugin this deployment does not run: set SLRS_PLUGINS={name}")
    names = sorted(FOLLOWERS) if every else [str(name)]
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    pending_rebuild = [rebuild]

    def start(stop: threading.Event) -> None:
        services = _services()
        try:
            followers = [services.follower(n) for n in names]
            if pending_rebuild.pop() if pending_rebuild else False:
                _rebuild(name or "every follower", followers)
            if once:
                # one follower catches up by its own loop (a plugin's may do more than apply pages)
                count = followers[0].catch_up() if len(followers) == 1 else catch_up_together(followers)
                positions = ", ".join(f"{f.store.name.removeprefix('projection_')} {f.store.position()}"
                                      for f in followers)
                click.echo(f"{name or 'every follower'}: caught up, {count} more events, position {positions}")
                stop.set()
                return
            if not every:
                follower = followers[0]
                wait = waiter(services.storage, follower.log, stop)
                click.echo(f"following the log {follower.log.name} with {name} from position "
                           f"{follower.store.position()}", err=True)
                follower.run(stop, wait, interval)
                return
            click.echo(f"following every log with {', '.join(names)}", err=True)
            while not stop.is_set():
                if catch_up_together(followers) == 0:
                    sleeper(stop)(interval)
        finally:
            services.close()

    supervise(start, stop)


def _rebuild(label: str, followers: list[Any]) -> None:
    """Rebuild `followers` reading each log once, with a progress bar; then the count and the rate."""
    import time

    from api.fanout import rebuild_together

    from kernel.follow import Follower

    length = sum({f.log.name: f.log.position() for f in followers}.values())
    began = time.perf_counter()
    if len(followers) == 1 and type(followers[0]) is not Follower:
        count = followers[0].rebuild()  # a plugin's own loop, which may do more than apply pages
    else:
        with click.progressbar(length=length, label=f"rebuilding {label}", file=sys.stderr) as bar:
            count = rebuild_together(followers, page_size=5000, advance=bar.update)
    seconds = time.perf_counter() - began
    click.echo(f"rebuilt {label} from {count} events in {seconds:.1f} s ({count / max(seconds, 1e-9):,.0f} events/s)")


@main.command()
@click.argument("name", type=click.Choice(["progress", "agency", "partnership", "sessions", "charges", "evaluations",
                                          "audit"]))
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), help="the English day reported on (default today)")
@click.option("--known-at", help="only events recorded by then count: ISO 8601 with offset (default now)")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--agency", help="of one agency (the agency report needs it)")
@click.option("--from", "first", type=click.DateTime(formats=["%Y-%m-%d"]), help="first day of the period")
@click.option("--to", "last", type=click.DateTime(formats=["%Y-%m-%d"]), help="last day of the period")
@click.option("--limit", type=int, help="workers (progress) or events (audit) at most")
def report(name: str, as_of: Any, known_at: str | None, fmt: str, agency: str | None, first: Any, last: Any,
           limit: int | None) -> None:
    """Print the report NAME as the partnership sees it (README "Reports"), its followers caught up first."""
    from api.reports.command import ReportOptionError, instant, run_report
    from domain.errors import RecordsError

    services = _services()
    try:
        click.echo(run_report(services, name, fmt, as_of and as_of.date(), instant(known_at),
                              first and first.date(), last and last.date(), agency, limit), nl=fmt == "json")
    except (ReportOptionError, RecordsError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    finally:
        services.close()


@main.command()
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Copy the SQLite stores to PATH, consistently, while servers run (PostgreSQL: see the README)."""
    from api.operations import backup_sqlite

    storage = Storage.from_env()
    if storage.engine != "sqlite":
        click.echo("on PostgreSQL use pg_dump (README, 'Running at scale')", err=True)
        sys.exit(2)
    for copied in backup_sqlite(storage.data_dir, path):
        click.echo(f"backed up {copied}")


@main.command("rebuild-index")
def rebuild_index() -> None:
    """Rewrite the statement index from the event log, beside the live one, then swap it in; then the document index.

    Interrupted, it leaves the live index as it was; servers may keep running
    (the swap holds their writes back for a moment).
    """
    import time

    services = _services()
    started = time.perf_counter()
    count = services.lrs.rebuild_index()
    seconds = time.perf_counter() - started
    click.echo(f"indexed {count} statements in {seconds:.1f} s ({count / max(seconds, 1e-9):,.0f} events/s)")
    click.echo(f"indexed {services.lrs.documents.rebuild_index()} documents (State, Activity and Agent Profiles)")


@main.command("import")
@click.argument("kind", type=click.Choice(["agencies", "workers", "courses", "sessions", "completions"]))
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
def import_records(kind: str, file: Path) -> None:
    """Import KIND from the CSV FILE (`-`: standard input), all rows or none (README, "Importing records").

    Every bad row is printed with its line; then nothing is imported and the exit status is 2.
    """
    from api.records.importing import import_file

    services = _services()
    try:
        status = import_file(services.records, kind, str(file))
    finally:
        services.close()
    sys.exit(status)


@main.command()
@click.option("--workers", default=2400, show_default=True, help="how many workers the partnership employs")
def demo(workers: int) -> None:
    """Load the demo partnership (a year of training of a dozen agencies), once: a second run changes nothing."""
    from api.demo.load import load_demo

    with click.progressbar(length=1, label="loading the demo partnership") as bar:
        def planned(total: int) -> None:
            bar.length = total

        loaded = load_demo(workers=workers, progress=bar.update, planned=planned)
    if loaded is None:
        click.echo("the demo partnership is loaded already")
        return
    click.echo(f"loaded the demo partnership: {loaded.commands:,} commands in {loaded.seconds:.1f} s "
               f"({loaded.refused} refused by the rules, as a clerk's would be)")


@main.group()
def invoices() -> None:
    """Monthly invoices of the agencies' charges and credits."""


@invoices.command("issue")
@click.option("--month", required=True, help="YYYY-MM, a month that has ended (Europe/London)")
def issue_invoices(month: str) -> None:
    """Issue every agency's invoice for MONTH; issuing a month again changes nothing."""
    from domain.actor import Actor
    from domain.charging import pounds
    from domain.errors import RecordsError

    services = _services()
    try:
        issued = services.records.issue_invoices(Actor("cli"), month)
    except RecordsError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    finally:
        services.close()
    for invoice in issued:
        click.echo(f"{invoice.month}\t{invoice.agency}\t{len(invoice.lines)} line(s)\t£{pounds(invoice.total_pence)}")
    if not issued:
        click.echo(f"no agency has charges or credits to invoice for {month}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes")
@click.option("--threads", default=1, show_default=True, type=int,
              help="threads per worker; 1 runs sync workers, which measured fastest here")
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the API with gunicorn on http://HOST:PORT (xAPI under /xapi).

    The tables are made (or brought up to date) once, here, before the workers start.
    """
    from gunicorn.app.base import BaseApplication

    from api.app import create_app
    from api.serving import GUNICORN_SETTINGS, prepare_schema, workers_environment

    problem = prepare_schema()
    if problem:
        click.echo(f"WARNING: {problem}", err=True)
    workers_environment()

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("accesslog", None)
            self.cfg.set("graceful_timeout", 10)
            for name, value in GUNICORN_SETTINGS.items():
                if name in self.cfg.settings:  # a setting this gunicorn has
                    self.cfg.set(name, value)

        def load(self) -> Any:
            return create_app()

    click.echo(f"serving xAPI on http://{host}:{port}/xapi with {workers} worker(s)", err=True)
    Server().run()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes")
def run(host: str, port: int, workers: int) -> None:
    """Serve, and run every follower, under one supervisor that restarts whatever stops (`make run`).

    The children are `slrs serve` and `slrs follow --all`, and `slrs follow NAME`
    for each plugin SLRS_PLUGINS turns on. Ctrl-C or SIGTERM stops them all.
    """
    import logging
    import signal
    import threading

    from api.serving import prepare_schema
    from api.supervisor import slrs_command, supervise

    logging.basicConfig(format="[slrs run] %(message)s")
    prepare_schema()  # before the children start together: none of them makes tables at the same time as another
    commands = {"serve": slrs_command("serve", "--host", host, "--port", str(port), "--workers", str(workers)),
                "follow --all": slrs_command("follow", "--all")}
    for plugin in enabled_plugins(Storage.from_env().environ):
        commands[f"follow {plugin}"] = slrs_command("follow", plugin)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    click.echo(f"serving xAPI on http://{host}:{port}/xapi; following with {', '.join(commands)}", err=True)
    supervise(commands, stop)


@main.group()
def credentials() -> None:
    """Create, list and revoke the credentials clients use."""


@credentials.command("create")
@click.option("--key", required=True)
@click.option("--secret", required=True)
@click.option("--scope", "scopes", multiple=True, required=True, help=f"repeatable; one of {sorted(SCOPES)}")
@click.option("--agency", default=None, help="bind to one agency; omit for the whole partnership")
@click.option("--exist-ok", is_flag=True, help="succeed quietly if the key exists already")
def create_credential(key: str, secret: str, scopes: tuple[str, ...], agency: str | None, exist_ok: bool) -> None:
    services = _services()
    if exist_ok and any(c.key == key for c in services.credentials.list_credentials()):
        click.echo(f"credential {key} exists already")
        return
    try:
        wanted = [s for scope in scopes for s in scope.split(",") if s]
        info = services.credentials.create_credential(key, secret, wanted, agency)
    except CredentialError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    click.echo(f"created credential {info.key} scopes={','.join(sorted(info.scopes))} "
               f"agency={info.agency or 'partnership'}")


@credentials.command("list")
def list_credentials() -> None:
    for info in _services().credentials.list_credentials():
        state = "revoked" if info.revoked else "active"
        click.echo(f"{info.key}\t{state}\t{','.join(sorted(info.scopes))}\t{info.agency or 'partnership'}")


@credentials.command("revoke")
@click.option("--key", required=True)
def revoke_credential(key: str) -> None:
    try:
        _services().credentials.revoke_credential(key)
    except CredentialError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    click.echo(f"revoked credential {key}")


main.add_command(moodle)
