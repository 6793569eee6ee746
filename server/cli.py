"""The `herald` command: set up the database, add people, load demo data, serve, build the extension."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from server.config import ensure_instance_secret
from server.passwords import hash_password


def _app(*, allow_default_secret: bool = False):
    from server import create_app

    if allow_default_secret:
        # Setup commands run before a secret exists; they write one before anything serves.
        from flask import Flask

        probe = Flask(
            "server",
            instance_relative_config=True,
            instance_path=os.environ.get("HERALD_INSTANCE_PATH") or None,
        )
        if ensure_instance_secret(probe.instance_path):
            click.echo(f"Wrote a random SECRET_KEY to {Path(probe.instance_path) / 'config.py'}")
    return create_app()


class _Herald(click.Group):
    """Settings Herald cannot start with end the command with one line on stderr, exit code 1."""

    def invoke(self, ctx: click.Context):
        from server.config import ConfigError

        try:
            return super().invoke(ctx)
        except ConfigError as err:
            raise click.ClickException(str(err)) from None


@click.group(cls=_Herald)
def main() -> None:
    """Herald companion server."""


@main.command("init-db")
def init_db() -> None:
    """Create or upgrade the schema through the migrations (idempotent) and load the starter guidelines."""
    app = _app(allow_default_secret=True)
    with app.app_context():
        _migrate()
        _load_starter_policy()
    click.echo(f"Database ready: {app.config['DATABASE_URL']}")


def _migrate() -> list[str]:
    """Run the pending migrations, saying so when an older database is adopted rather than re-created."""
    from server.db import adopt_legacy_database, migrate_database

    adopted = adopt_legacy_database()
    if adopted:
        click.echo(
            f"Recorded {adopted} as applied: the database predates migrations and has its tables."
        )
    applied = migrate_database()
    for name in applied:
        click.echo(f"Applied migration {name}")
    return ([adopted] if adopted else []) + applied


@main.command()
@click.option(
    "--check",
    is_flag=True,
    help="Only verify that the migrations build exactly the models' schema.",
)
def migrate(check: bool) -> None:
    """Apply the pending schema migrations (--check: fail when the models and migrations disagree)."""
    if check:
        # Scratch databases only: the check needs no configuration and never touches a real database.
        from server.db import migration_names, schema_differences

        problems = schema_differences()
        if problems:
            raise click.ClickException(
                "The models and the migrations disagree; add a migration in server/migrations/:\n  "
                + "\n  ".join(problems)
            )
        count = len(migration_names())
        click.echo(f"The models and the migrations agree ({count} migration{'s' * (count != 1)}).")
        return
    app = _app(allow_default_secret=True)
    with app.app_context():
        applied = _migrate()
        from server.policy_store import refresh_compiled

        rebuilt = refresh_compiled()
    if not applied:
        click.echo("Nothing to migrate: the database is up to date.")
    if rebuilt:
        click.echo("Rebuilt the compiled guidelines with this version's compiler.")


def _load_starter_policy() -> None:
    try:
        from server.policy_store import load_starter_policy
    except ModuleNotFoundError:
        return
    count = load_starter_policy()
    if count:
        click.echo(f"Loaded the starter policy: {count} rules")


@main.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role", type=click.Choice(["admin", "employee"]), default="employee", show_default=True
)
@click.option(
    "--team", "teams", multiple=True, help="Team name; repeat for several. Created when missing."
)
def create_user(email: str, name: str, role: str, teams: tuple[str, ...]) -> None:
    """Add an active user. The password is read from standard input, never from the command line."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    from server.credentials import normalized_email, password_problem
    from server.errors import APIError

    try:
        email = normalized_email(email)
    except APIError as err:
        raise click.ClickException(
            f"{email!r} is not a valid email address: {err.details[0]['message']}"
        ) from None
    if "\x00" in name or not name.strip():
        raise click.ClickException("The name must not be empty or contain a NUL character.")
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.ClickException(f"Password refused: {problem}")
    app = _app()
    with app.app_context():
        from server.db import db
        from server.models import Membership, Team, User, utcnow

        _migrate()
        if User.get_or_none(User.email == email):
            raise click.ClickException(f"A user with the email {email} already exists.")
        with db.atomic():
            user = User.create(
                email=email,
                name=name,
                role=role,
                status="active",
                password_hash=hash_password(password),
                joined_at=utcnow(),
            )
            for team_name in teams:
                team, _ = Team.get_or_create(name=team_name)
                Membership.get_or_create(user=user, team=team)
    click.echo(f"Created {role} {email} (id {user.id})")


@main.command()
def demo() -> None:
    """Load demo data (idempotent) and print how to sign in."""
    app = _app(allow_default_secret=True)
    with app.app_context():
        from server.demo import load_demo

        _migrate()
        _load_starter_policy()
        summary = load_demo()
    for line in summary:
        click.echo(line)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers",
    default=None,
    type=int,
    help="gunicorn workers (default: cores + 1 on SQLite, 2 x cores + 1 on PostgreSQL).",
)
@click.option(
    "--debug", is_flag=True, help="Flask's development server with reloading, instead of gunicorn."
)
def run(host: str, port: int, workers: int | None, debug: bool) -> None:
    """Serve the API and the console (gunicorn; --debug for the development server)."""
    if debug:
        os.environ.setdefault("HERALD_DEBUG", "1")
        from server import create_app

        app = create_app()
        app.run(host=host, port=port, debug=True)
        return
    app = _app()  # fails early, with a clear message, on a default secret or bad settings
    from server.config import check_schema_current

    with app.app_context():
        try:
            check_schema_current()
        finally:
            from server.db import db

            db.obj.close_all()  # no pooled connection may cross gunicorn's fork
    from server.wsgi_server import serve

    serve(app, host=host, port=port, workers=workers)


@main.command()
@click.option("--workers", default=2, show_default=True, type=int, help="Worker threads.")
def worker(workers: int) -> None:
    """Run background jobs: mail delivery, the weekly digest, invitation reminders (huey consumer)."""
    import faulthandler
    import logging
    import signal

    from server import jobs

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 <pid>` prints every thread's stack
    from server.request_log import configure_stderr

    configure_stderr()  # one JSON line per job, like herald run's per request
    app = _app()
    with app.app_context():
        _migrate()
    jobs.run_worker(app, workers=workers)


@main.command("send-digest")
@click.option("--week", default=None, help="ISO week, e.g. 2026-W49 (default: this week).")
def send_digest(week: str | None) -> None:
    """Queue this week's digest now, whatever the schedule (the worker sends it; each person gets one)."""
    from server.digest import iso_week
    from server.models import utcnow

    app = _app()
    week = week or iso_week(utcnow())
    with app.app_context():
        app.extensions["herald_tasks"]["digest_week"](week)
    click.echo(f"Queued the digest for {week}; `herald worker` sends it.")


@main.command()
@click.option("--check", is_flag=True, help="Only verify: fail when the committed file is stale.")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Default: shared_schemas/openapi.json.",
)
def openapi(check: bool, output: Path | None) -> None:
    """Regenerate the OpenAPI document from the routes and schema files (--check: fail if stale)."""
    from server import create_app
    from server.openapi import OPENAPI_PATH, is_current, write

    # A throwaway config: the document depends on routes and schemas only, never on settings.
    app = create_app(
        {
            "SECRET_KEY": "openapi-generation-only-never-signs-anything",
            "DATABASE_URL": "sqlite:///:memory:",
        }
    )
    path = output or OPENAPI_PATH
    if check:
        if not is_current(app, path):
            raise click.ClickException(f"{path} is stale: run `herald openapi` and commit it.")
        click.echo(f"{path} is up to date.")
        return
    click.echo(f"Wrote {path}" if write(app, path) else f"{path} was already up to date.")


@main.command("build-extension")
@click.option(
    "--out",
    "out_dir",
    default=None,
    type=click.Path(path_type=Path),
    help="output folder [default: dist/chrome or dist/firefox]",
)
@click.option(
    "--site-origin",
    "site_origins",
    multiple=True,
    help="site=URL, e.g. linkedin=http://127.0.0.1:8001: extra origins for a site adapter (tests, demos).",
)
@click.option(
    "--dev",
    is_flag=True,
    help="Also ask host permission for a Herald server on localhost / 127.0.0.1 (implied by --site-origin).",
)
@click.option(
    "--browser",
    type=click.Choice(["chrome", "firefox"]),
    default="chrome",
    show_default=True,
    help="chrome: MV3 folder + .zip; firefox: MV2 folder + .xpi (see extension/README.md).",
)
def build_extension_cmd(
    out_dir: Path | None, site_origins: tuple[str, ...], dev: bool, browser: str
) -> None:
    """Write a loadable extension to OUT and a store-ready package (.zip, or .xpi) beside it."""
    from extension_build.build import build_extension

    out_dir = out_dir or Path("dist") / browser
    origins: dict[str, list[str]] = {}
    for item in site_origins:
        site, sep, url = item.partition("=")
        if not sep or site not in {"linkedin", "x"} or not url.startswith(("http://", "https://")):
            raise click.BadParameter(
                f"expected linkedin=URL or x=URL, got {item!r}", param_hint="--site-origin"
            )
        origins.setdefault(site, []).append(url.rstrip("/"))
    zip_path = build_extension(out_dir, origins, dev=dev, browser=browser)
    click.echo(f"Built {out_dir} and {zip_path}")


@main.command("poll-feeds")
@click.option(
    "--every-minutes",
    type=click.IntRange(min=1),
    default=None,
    help="Skip sources polled less than this many minutes ago (for cron); default: poll all.",
)
def poll_feeds(every_minutes: int | None) -> None:
    """Poll every active feed source once; new entries become draft snippets."""
    from datetime import timedelta

    from server import feeds

    app = _app()
    with app.app_context():
        every = timedelta(minutes=every_minutes) if every_minutes else None
        limits = feeds.FetchLimits.from_config(app.config)
        for result in feeds.poll_due(limits, every):
            click.echo(feeds.describe(result))


@main.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="File to write the backup to.",
)
def backup(out: Path) -> None:
    """Copy the database consistently while the server keeps serving (SQLite: online backup; PostgreSQL: pg_dump)."""
    from server.backup import BackupError
    from server.backup import backup as run_backup

    app = _app()
    try:
        run_backup(app.config["DATABASE_URL"], out)
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Backed up to {out}")


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
def restore(source: Path) -> None:
    """Load a backup made by `herald backup` into an empty database (a non-empty one is refused)."""
    from server.backup import BackupError
    from server.backup import restore as run_restore

    app = _app()
    try:
        run_restore(app.config["DATABASE_URL"], source)
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Restored {source} into {app.config['DATABASE_URL'].split('@')[-1]}")


@main.group("i18n")
def i18n_group() -> None:
    """The console's and the emails' translations (server/translations/<lang>/LC_MESSAGES)."""


@i18n_group.command("update")
def i18n_update() -> None:
    """Extract every message from server/ (babel.cfg) and merge it into each language's .po."""
    from server.i18n import compile_catalogs
    from server.i18n_catalogs import update

    for lang, count in update().items():
        click.echo(f"{lang}: {count} untranslated" if count else f"{lang}: complete")
    compile_catalogs()


@i18n_group.command("compile")
def i18n_compile() -> None:
    """Compile every .po into the .mo the server loads (start-up also does this when stale)."""
    from server.i18n import compile_catalogs

    for mo in compile_catalogs(force=True):
        click.echo(f"Compiled {mo}")


@i18n_group.command("check")
def i18n_check() -> None:
    """Fail, listing them, when a used message has no translation in some language."""
    from server.i18n_catalogs import missing

    gaps = {lang: ids for lang, ids in missing().items() if ids}
    for lang, ids in gaps.items():
        click.echo(f"{lang}: {len(ids)} untranslated", err=True)
        for msgid in ids:
            click.echo(f"  {msgid!r}", err=True)
    if gaps:
        raise SystemExit(1)
    click.echo("Every message is translated in every language.")


if __name__ == "__main__":
    main()
