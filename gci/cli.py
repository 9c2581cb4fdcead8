"""`flask gci …` commands: load a framework, recompute a cycle, import an earlier edition's
results. Registered on the gci blueprint's cli group in gci/blueprint.py."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from core import db
from gci.cycles import service as cycles
from gci.framework.validator import FrameworkError, parse
from gci.models import Cycle
from gci.results import historic, snapshots


def _fail(problems: list[str]):
    raise click.ClickException("nothing stored:\n  " + "\n  ".join(problems))


@click.command("load-framework")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--cycle", "cycle_code", help="Cycle code (default: the file's code).")
@click.option("--name", help="Cycle name (default: the file's name).")
@click.option("--year", type=int, help="Cycle year (default: from the code).")
@click.option("--previous", "previous_code", help="Code of the cycle to compare with.")
def load_framework(path, cycle_code, name, year, previous_code):
    """Validate a framework file and store it as the cycle's framework."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        _fail([f"{path}: not valid JSON: {error}"])
    session = db.session()
    try:
        version = cycles.load_framework(
            session,
            document,
            cycle_code=cycle_code,
            name=name,
            year=year,
            previous_code=previous_code,
        )
    except FrameworkError as error:
        _fail(error.problems)
    except cycles.GciError as error:
        _fail([str(error)])
    session.commit()
    framework = parse(document)
    click.echo(
        f"Framework {framework.code}: {len(framework.questions)} questions, stored as "
        f"version {version.version} of cycle {session.get(Cycle, version.cycle_id).code}."
    )
    if framework.placeholder_weights:
        click.echo("Note: the file says its weights are placeholders; scores will say so.")


def _cycle(session, code):
    cycle = cycles.cycle_by_code(session, code)
    if cycle is None:
        _fail([f"No cycle {code}."])
    return cycle


@click.command("recompute")
@with_appcontext
@click.argument("cycle_code")
@click.option("--publish", is_flag=True, help="Publish the new snapshot at once.")
def recompute(cycle_code, publish):
    """Compute every country's scores into a new snapshot."""
    session = db.session()
    try:
        snapshot = snapshots.recompute(session, _cycle(session, cycle_code))
        if publish:
            snapshots.publish(session, snapshot)
    except cycles.GciError as error:
        _fail([str(error)])
    session.commit()
    click.echo(f"Snapshot {snapshot.id} of {cycle_code}" + (" published." if publish else "."))


@click.command("import-results")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--cycle", "cycle_code", required=True)
@click.option("--name", required=True)
@click.option("--year", type=int, required=True)
@click.option(
    "--tiers-from",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A framework file whose tiers the file's tier column follows.",
)
@click.option("--previous", "previous_code")
def import_results(path, cycle_code, name, year, tiers_from, previous_code):
    """Import an earlier edition's published results (CSV) as a read-only cycle."""
    tiers = None
    if tiers_from:
        tiers = json.loads(tiers_from.read_text(encoding="utf-8")).get("tiers")
    session = db.session()
    try:
        snapshot = snapshots.import_historic(
            session,
            path.read_text(encoding="utf-8"),
            cycle_code=cycle_code,
            name=name,
            year=year,
            tiers=tiers,
            previous_code=previous_code,
        )
    except historic.HistoricFileError as error:
        _fail(error.problems)
    except cycles.GciError as error:
        _fail([str(error)])
    session.commit()
    click.echo(f"Imported {snapshot.note.split()[0]} countries into {cycle_code}.")
