"""`flask scenarios …` commands (registered in blueprint.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from core import db
from scenarios.authoring import service


@click.command("import")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--publish", is_flag=True, help="Publish it at once (refused if it has errors).")
@click.option("--as-new", is_flag=True, help="Store as a new scenario even if the id exists.")
def import_command(path, publish, as_new):
    """Import a scenario file (YAML or JSON); refused whole if it has any error."""
    session = db.session()
    try:
        version = service.import_text(
            session, path.read_text(encoding="utf-8"), as_new=as_new, publish=publish
        )
    except service.ScenarioRefused as error:
        raise click.ClickException("nothing imported:\n  " + "\n  ".join(error.problems)) from None
    session.commit()
    scenario = session.get(service.Scenario, version.scenario_id)
    click.echo(f"Scenario {scenario.slug}: version {version.number} ({version.state}).")


@click.command("export")
@with_appcontext
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml")
def export_command(slug, fmt):
    """Print a scenario's newest version in the file format."""
    session = db.session()
    scenario = service.by_slug(session, slug)
    if scenario is None:
        raise click.ClickException(f"No scenario {slug}.")
    click.echo(service.export_text(service.latest(session, scenario), fmt), nl=False)
