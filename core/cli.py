"""CLI: `flask users create`, `flask demo load|logins`, `flask countries load`, `flask db …`,
`flask serve` (web server and scheduler together, for `make run`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import click
from alembic import command
from flask import Flask, current_app
from flask.cli import AppGroup

from core import accounts, countries, db, demo, migrate
from core.models import Role

users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="Demo data for trying the platform.")
countries_cli = AppGroup("countries", help="The countries reference data.")
db_cli = AppGroup("db", help="Database migrations (Alembic).")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", default="")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--country", "country_iso3", default=None, help="ISO alpha-3, for focal points.")
@click.password_option(help="Asked for when not given.")
def create_user(email, name, role, country_iso3, password):
    """Create a user account."""
    session = db.session()
    try:
        user = accounts.create_user(
            session,
            email=email,
            name=name,
            role=role,
            password=password,
            country_iso3=country_iso3,
        )
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@demo_cli.command("load")
def demo_load():
    """Load the demo data into an empty database; does nothing if it is there already.
    Refused in production: the demo accounts share a published password."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException(
            "Refusing to load demo data in production: its accounts (an admin among them) "
            "share the published demo password. Create real accounts with `flask users create`."
        )
    session = db.session()
    if demo.has_demo_users(session):
        click.echo("Demo data already loaded; nothing changed.")
        return
    for loader in current_app.extensions["cyberready.demo_loaders"]:
        loader(session)
    session.commit()
    click.echo("Demo data loaded.")


@demo_cli.command("logins")
def demo_logins():
    """Print one demo sign-in per role."""
    rows = demo.logins(db.session())
    if not rows:
        click.echo("No demo users: run `flask demo load`.")
        return
    click.echo(f"Demo sign-ins (password for all: {demo.DEMO_PASSWORD}):")
    for role, email in rows:
        click.echo(f"  {role:<12} {email}")


@countries_cli.command("load")
def countries_load():
    """Make the country table equal to core/data/countries.csv."""
    session = db.session()
    changed = countries.sync(session)
    session.commit()
    click.echo(f"Countries synchronised: {changed} row(s) added or changed.")


def _alembic_config():
    return migrate.alembic_config(current_app.config["DATABASE_URL"])


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision):
    """Upgrade the database to a revision (default: head)."""
    command.upgrade(_alembic_config(), revision)


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision):
    """Downgrade the database to a revision ("base" empties it)."""
    command.downgrade(_alembic_config(), revision)


@db_cli.command("current")
def db_current():
    """Show the database's revision."""
    command.current(_alembic_config(), verbose=True)


@db_cli.command("check")
def db_check():
    """Fail if the models differ from what the migrations create."""
    command.check(_alembic_config())


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
def db_revision(message, autogenerate):
    """Write a new revision from the difference between models and database."""
    command.revision(_alembic_config(), message=message, autogenerate=autogenerate)


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", type=int, default=None, help="Default: PORT from the environment.")
def serve(host, port):
    """Run the web server and the scheduler process together until Ctrl-C (development)."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    port = port or app.config["PORT"]
    env = dict(os.environ)
    scheduler = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "flask", "--app", "wsgi", "drills", "scheduler"], env=env
    )

    def stop_scheduler():
        if scheduler.poll() is None:
            scheduler.terminate()
            try:
                scheduler.wait(timeout=10)
            except subprocess.TimeoutExpired:
                scheduler.kill()

    def on_stop(_signum, _frame):
        raise KeyboardInterrupt

    # Explicit handlers: a shell that starts us in the background leaves SIGINT ignored.
    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, on_stop)
    click.echo(f"CyberReady is running at http://{host}:{port}  (Ctrl-C stops it)")
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    except KeyboardInterrupt:
        pass
    finally:
        stop_scheduler()
        click.echo("Stopped the web server and the scheduler.")


def init_app(app: Flask) -> None:
    for group in (users_cli, demo_cli, countries_cli, db_cli):
        app.cli.add_command(group)
    app.cli.add_command(serve)
