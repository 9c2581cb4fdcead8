"""The `gci` HTML blueprint (/gci) with every one of its routes listed here, and the
`flask gci …` commands. View modules define plain functions (with their @allow policy) and
never import this module, so there is no import cycle. The public results pages have their
own blueprint (gci/public.py); the JSON API (gci/api.py) is a flask-smorest blueprint whose
routes stay decorator-based beside their schemas."""

from __future__ import annotations

from flask import Blueprint

from gci import cli, views
from gci.questionnaire import views_admin, views_files, views_focal, views_review

bp = Blueprint("gci", __name__, url_prefix="/gci", template_folder="templates", cli_group="gci")


def _get(rule: str, view) -> None:
    bp.add_url_rule(rule, view_func=view, methods=["GET"])


def _post(rule: str, view) -> None:
    bp.add_url_rule(rule, view_func=view, methods=["POST"])


# --- countries, cycles, result snapshots, framework editing (gci/views.py) -----------------

_get("/", views.index)
_get("/my-country", views.my_country)
_get("/countries/<iso3>", views.country)
_get("/cycles", views.cycles)
_get("/cycles/<code>", views.cycle)
_post("/cycles/<code>/recompute", views.recompute)
_post("/snapshots/<int:snapshot_id>/publish", views.publish)
_get("/snapshots/<int:older>/diff/<int:newer>", views.diff)
bp.add_url_rule(
    "/frameworks/<int:framework_id>/nodes/<code>",
    view_func=views.edit_node,
    methods=["GET", "POST"],
)
_post("/frameworks/<int:framework_id>/clone", views.clone)

# --- the questionnaire (gci/questionnaire/) ---------------------------------------------------

Q = "/questionnaires/<cycle_code>/<iso3>"

# the focal point's pages (and the analysts' in secondary research)
_get("/questionnaire", views_focal.my_questionnaire)
_get(Q, views_focal.questionnaire)
_get(Q + "/pillars/<pillar_code>", views_focal.questionnaire_pillar)
_post(Q + "/answers/<question_code>", views_focal.save_answer)  # also gci/autosave.py ROUTE
_get(Q + "/check", views_focal.questionnaire_check)
_post(Q + "/move", views_focal.move_questionnaire)
_get(Q + "/history/<question_code>", views_focal.question_history)
_post(Q + "/questions/<question_code>/reply", views_focal.reply_to_review)
# evidence and the answers as a file
_post(Q + "/questions/<question_code>/evidence", views_files.add_evidence)
_post(Q + "/evidence/<int:evidence_id>/delete", views_files.remove_evidence)
_get(Q + "/evidence/<int:evidence_id>", views_files.download_evidence)
_get(Q + "/answers.<kind>", views_files.export_answers)
_post(Q + "/import", views_files.import_answers)
# the analyst's review
_get("/review", views_review.review_queue)
_post(Q + "/questions/<question_code>/review", views_review.review_answer)
_post(Q + "/research", views_review.start_research)
# the admin's overview of a cycle
_get("/cycles/<code>/progress", views_admin.cycle_progress)
_post("/cycles/<code>/reminders", views_admin.cycle_reminders)
_post("/cycles/<code>/settings", views_admin.cycle_settings)

# --- `flask gci …` ------------------------------------------------------------------------

for command in (cli.load_framework, cli.recompute, cli.import_results):
    bp.cli.add_command(command)
