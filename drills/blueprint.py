"""The drills blueprint: every page of the package, listed here in one place.

The view functions live in each feature's views module (drills/<feature>/views.py); this
module creates the Blueprint, adds every route with `add_url_rule` (the endpoint is the
function's name, so `url_for("drills.<name>")` stays as it was), the template globals the
console uses, and the `flask drills …` commands. The drills have no API blueprint yet (a
flask-smorest API would stay decorator-based in its feature's api.py, as in gci and
scenarios)."""

from __future__ import annotations

from flask import Blueprint

from drills import scheduler
from drills.aftermath import views as aftermath_views
from drills.console import views as console_views
from drills.control import views as control_views
from drills.evaluation import views as evaluation_views
from drills.reports import views as report_views
from drills.setup import people_views
from drills.setup import views as setup_views

bp = Blueprint(
    "drills", __name__, url_prefix="/drills", template_folder="templates", cli_group="drills"
)

# The list of drills and the control room
bp.add_url_rule("/", view_func=control_views.index, methods=["GET"])
bp.add_url_rule("/<int:drill_id>", view_func=control_views.control_room, methods=["GET"])
bp.add_url_rule(
    "/<int:drill_id>/<any(start, pause, resume, end):move>",
    view_func=control_views.control,
    methods=["POST"],
)
bp.add_url_rule("/<int:drill_id>/extend", view_func=control_views.extend, methods=["POST"])
bp.add_url_rule("/<int:drill_id>/broadcast", view_func=control_views.broadcast, methods=["POST"])
bp.add_url_rule(
    "/<int:drill_id>/injects/<inject_id>/<any(hold, release):action>",
    view_func=control_views.override,
    methods=["POST"],
)

# The team console: what a team sees and does
bp.add_url_rule("/teams/<int:team_id>", view_func=console_views.team, methods=["GET"])
bp.add_url_rule(
    "/teams/<int:team_id>/injects/<inject_id>/artifacts/<int:number>",
    view_func=console_views.artifact,
    methods=["GET"],
)
bp.add_url_rule(
    "/teams/<int:team_id>/injects/<inject_id>/responses/<response_id>/draft",
    view_func=console_views.save_draft,
    methods=["POST"],
)
bp.add_url_rule(
    "/teams/<int:team_id>/injects/<inject_id>/responses/<response_id>/submit",
    view_func=console_views.submit,
    methods=["POST"],
)
bp.add_url_rule(
    "/teams/<int:team_id>/injects/<inject_id>/responses/<response_id>/hint",
    view_func=console_views.open_hint,
    methods=["POST"],
)
bp.add_url_rule(
    "/teams/<int:team_id>/injects/<inject_id>/ack",
    view_func=console_views.acknowledge,
    methods=["POST"],
)
bp.add_url_rule("/teams/<int:team_id>/log", view_func=console_views.add_log_entry, methods=["POST"])
bp.add_url_rule("/teams/<int:team_id>/feed", view_func=console_views.feed, methods=["GET"])

# Evaluators and the scoreboard
bp.add_url_rule(
    "/<int:drill_id>/evaluate", view_func=evaluation_views.evaluate, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/submissions/<int:submission_id>/score", view_func=evaluation_views.score, methods=["POST"]
)
bp.add_url_rule(
    "/<int:drill_id>/scoreboard", view_func=evaluation_views.scoreboard, methods=["GET"]
)

# Setup: the drill, its teams, its people and the contact check
bp.add_url_rule("/new", view_func=setup_views.new_drill, methods=["GET", "POST"])
bp.add_url_rule("/<int:drill_id>/setup", view_func=setup_views.setup_drill, methods=["GET", "POST"])
bp.add_url_rule("/<int:drill_id>/teams", view_func=setup_views.setup_teams, methods=["GET"])
bp.add_url_rule("/<int:drill_id>/teams", view_func=setup_views.add_team, methods=["POST"])
bp.add_url_rule(
    "/<int:drill_id>/teams/import", view_func=setup_views.import_teams, methods=["POST"]
)
bp.add_url_rule("/teams/<int:team_id>/setup", view_func=setup_views.setup_team, methods=["GET"])
bp.add_url_rule("/teams/<int:team_id>/setup", view_func=setup_views.edit_team, methods=["POST"])
bp.add_url_rule("/teams/<int:team_id>/remove", view_func=setup_views.remove_team, methods=["POST"])
bp.add_url_rule("/teams/<int:team_id>/members", view_func=people_views.add_member, methods=["POST"])
bp.add_url_rule(
    "/teams/<int:team_id>/members/<int:user_id>/remove",
    view_func=people_views.remove_member,
    methods=["POST"],
)
bp.add_url_rule("/<int:drill_id>/people", view_func=people_views.setup_people, methods=["GET"])
bp.add_url_rule(
    "/<int:drill_id>/people/<any(evaluator, observer):kind>",
    view_func=people_views.add_person,
    methods=["POST"],
)
bp.add_url_rule(
    "/<int:drill_id>/people/<any(evaluator, observer):kind>/<int:user_id>/remove",
    view_func=people_views.remove_person,
    methods=["POST"],
)
bp.add_url_rule(
    "/<int:drill_id>/comcheck", view_func=people_views.comcheck, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/teams/<int:team_id>/comcheck/<int:comcheck_id>",
    view_func=people_views.confirm_comcheck,
    methods=["POST"],
)

# After the drill: hot wash, ratings, improvement plan, report marking
bp.add_url_rule(
    "/teams/<int:team_id>/hotwash", view_func=aftermath_views.answer_hotwash, methods=["POST"]
)
bp.add_url_rule(
    "/<int:drill_id>/hotwash", view_func=aftermath_views.hotwash_summary, methods=["GET"]
)
bp.add_url_rule(
    "/<int:drill_id>/ratings", view_func=aftermath_views.ratings, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/<int:drill_id>/improvement-plan", view_func=aftermath_views.improvement_plan, methods=["GET"]
)
bp.add_url_rule(
    "/<int:drill_id>/improvement-plan", view_func=aftermath_views.add_improvement, methods=["POST"]
)
bp.add_url_rule(
    "/<int:drill_id>/improvement-plan/from-observations",
    view_func=aftermath_views.improvements_from_observations,
    methods=["POST"],
)
bp.add_url_rule(
    "/improvement-items/<int:item_id>",
    view_func=aftermath_views.edit_improvement,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/improvement-items/<int:item_id>/delete",
    view_func=aftermath_views.delete_improvement,
    methods=["POST"],
)
bp.add_url_rule(
    "/<int:drill_id>/report-marking", view_func=aftermath_views.report_marking, methods=["POST"]
)

# After-action reports and the data export
bp.add_url_rule("/<int:drill_id>/reports", view_func=report_views.reports, methods=["GET"])
bp.add_url_rule("/<int:drill_id>/reports", view_func=report_views.generate_report, methods=["POST"])
bp.add_url_rule(
    "/<int:drill_id>/reports/<int:report_id>/finalise",
    view_func=report_views.finalise_report,
    methods=["POST"],
)
bp.add_url_rule(
    "/<int:drill_id>/reports/<int:report_id>/download",
    view_func=report_views.download_report,
    methods=["GET"],
)
bp.add_url_rule("/<int:drill_id>/export.json", view_func=report_views.export_json, methods=["GET"])
bp.add_url_rule(
    "/<int:drill_id>/export/<any(injects, releases, submissions, scores, observations):table>.csv",
    view_func=report_views.export_csv,
    methods=["GET"],
)

# Template globals: the console shows the hot wash and the contact check of a team.
bp.add_app_template_global(people_views.comcheck_for)
bp.add_app_template_global(aftermath_views.hotwash_for)

# `flask drills scheduler`
bp.cli.command("scheduler")(scheduler.scheduler_command)
