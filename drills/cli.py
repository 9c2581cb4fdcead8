"""`flask drills …` commands."""

from __future__ import annotations

from flask import current_app

from drills import scheduler
from drills.views import bp


@bp.cli.command("scheduler")
def scheduler_command():
    """Run the scheduler process (heartbeat now; drill starts and inject releases later)."""
    scheduler.run(current_app._get_current_object())
