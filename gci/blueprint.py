"""The GCI's blueprints and every HTML route they serve, in one list: `gci` (signed-in pages
under /gci, with the `flask gci …` commands) and `results` (the public pages, no prefix).
View modules define plain functions and never import a blueprint. The JSON API is a
flask-smorest blueprint whose routes stay decorated in gci/results/api.py, where the
decorators carry the schemas."""

from __future__ import annotations

from flask import Blueprint

from gci import cli
from gci.cycles import views as cycle_views
from gci.results import public_views
from gci.results import views as result_views

bp = Blueprint("gci", __name__, url_prefix="/gci", template_folder="templates", cli_group="gci")

# --- cycles and results (admin) ---
bp.add_url_rule("/", view_func=result_views.index, methods=["GET"])
bp.add_url_rule("/my-country", view_func=result_views.my_country, methods=["GET"])
bp.add_url_rule("/countries/<iso3>", view_func=result_views.country, methods=["GET"])
bp.add_url_rule("/cycles", view_func=cycle_views.cycles, methods=["GET"])
bp.add_url_rule("/cycles/<code>", view_func=cycle_views.cycle, methods=["GET"])
bp.add_url_rule("/cycles/<code>/recompute", view_func=result_views.recompute, methods=["POST"])
bp.add_url_rule(
    "/snapshots/<int:snapshot_id>/publish", view_func=result_views.publish, methods=["POST"]
)
bp.add_url_rule(
    "/snapshots/<int:older>/diff/<int:newer>", view_func=result_views.diff, methods=["GET"]
)
bp.add_url_rule(
    "/frameworks/<int:framework_id>/nodes/<code>",
    view_func=cycle_views.edit_node,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/frameworks/<int:framework_id>/clone", view_func=cycle_views.clone, methods=["POST"]
)

bp.cli.add_command(cli.load_framework)
bp.cli.add_command(cli.recompute)
bp.cli.add_command(cli.import_results)

# --- questionnaire ---
# Registered as today: gci/questionnaire_views.py decorates its routes on `bp` above.
from gci import questionnaire_views  # noqa: E402,F401

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
