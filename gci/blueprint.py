"""The GCI's blueprints and every HTML route they serve, in one list: `gci` (signed-in pages
under /gci, with the `flask gci …` commands) and `results` (the public pages, no prefix).
View modules define plain functions (with their @allow policy) and never import a blueprint,
so there is no import cycle. The JSON API is a flask-smorest blueprint whose routes stay
decorated in gci/results/api.py, where the decorators carry the schemas."""

from __future__ import annotations

from flask import Blueprint

from gci import cli
from gci.cycles import views as cycle_views
from gci.questionnaire import views_admin, views_files, views_focal, views_review
from gci.results import public_views
from gci.results import views as result_views

bp = Blueprint("gci", __name__, url_prefix="/gci", template_folder="templates", cli_group="gci")


def _get(rule: str, view) -> None:
    bp.add_url_rule(rule, view_func=view, methods=["GET"])


def _post(rule: str, view) -> None:
    bp.add_url_rule(rule, view_func=view, methods=["POST"])


# --- countries, cycles, result snapshots, framework editing ---------------------------------

_get("/", result_views.index)
_get("/my-country", result_views.my_country)
_get("/countries/<iso3>", result_views.country)
_get("/cycles", cycle_views.cycles)
_get("/cycles/<code>", cycle_views.cycle)
_post("/cycles/<code>/recompute", result_views.recompute)
_post("/snapshots/<int:snapshot_id>/publish", result_views.publish)
_get("/snapshots/<int:older>/diff/<int:newer>", result_views.diff)
bp.add_url_rule(
    "/frameworks/<int:framework_id>/nodes/<code>",
    view_func=cycle_views.edit_node,
    methods=["GET", "POST"],
)
_post("/frameworks/<int:framework_id>/clone", cycle_views.clone)

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

# --- public results ---
results_bp = Blueprint("results", __name__, template_folder="templates")
results_bp.add_url_rule("/results/", view_func=public_views.ranking, methods=["GET"])
results_bp.add_url_rule("/results/tiers", view_func=public_views.tiers, methods=["GET"])
results_bp.add_url_rule(
    "/results/countries/<iso3>", view_func=public_views.country, methods=["GET"]
)
results_bp.add_url_rule(
    "/results/countries/<iso3>.pdf", view_func=public_views.country_pdf, methods=["GET"]
)
results_bp.add_url_rule(
    "/gci/countries/<iso3>/draft.pdf", view_func=public_views.draft_pdf, methods=["GET"]
)
results_bp.add_url_rule("/results/regions/<slug>", view_func=public_views.region, methods=["GET"])
results_bp.add_url_rule("/results/data.csv", view_func=public_views.data_csv, methods=["GET"])
results_bp.add_url_rule("/results/data.json", view_func=public_views.data_json, methods=["GET"])
results_bp.add_url_rule("/results/schema.json", view_func=public_views.schema, methods=["GET"])
