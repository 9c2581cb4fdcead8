"""The scenarios blueprint: every HTML route of the package and the `flask scenarios …`
commands, in one list. The JSON API (api.py) is a flask-smorest blueprint whose decorators
carry its schemas, so its routes stay decorator-based there."""

from __future__ import annotations

from flask import Blueprint

from scenarios import cli
from scenarios.authoring import artifact_views, editor, views
from scenarios.msel import views as msel_views

bp = Blueprint(
    "scenarios",
    __name__,
    url_prefix="/scenarios",
    template_folder="templates",
    cli_group="scenarios",
)
GET, POST, FORM = ["GET"], ["POST"], ["GET", "POST"]
INJECT = "/<slug>/injects/<inject_id>"

# the library, a scenario's page, import and export, publishing, clones, versions, preview
bp.add_url_rule("/", view_func=views.index, methods=GET)
bp.add_url_rule("/<slug>", view_func=views.show, methods=GET)
bp.add_url_rule("/<slug>/publish", view_func=views.publish, methods=POST)
bp.add_url_rule("/<slug>/export.<fmt>", view_func=views.export, methods=GET)
bp.add_url_rule("/import", view_func=views.import_file, methods=POST)
bp.add_url_rule("/<slug>/clone", view_func=views.clone, methods=POST)
bp.add_url_rule(
    "/<slug>/versions/<int:old>/diff/<int:new>", view_func=views.version_diff, methods=GET
)
bp.add_url_rule("/<slug>/preview", view_func=views.preview, methods=GET)

# the editor
bp.add_url_rule("/new", view_func=editor.new, methods=FORM)
bp.add_url_rule("/<slug>/facts", view_func=editor.edit_facts, methods=FORM)
bp.add_url_rule("/<slug>/objectives/new", view_func=editor.new_objective, methods=FORM)
bp.add_url_rule("/<slug>/objectives/<objective_id>", view_func=editor.edit_objective, methods=FORM)
bp.add_url_rule(
    "/<slug>/objectives/<objective_id>/delete", view_func=editor.delete_objective, methods=POST
)
bp.add_url_rule("/<slug>/injects/new", view_func=editor.new_inject, methods=FORM)
bp.add_url_rule(INJECT, view_func=editor.edit_inject, methods=FORM)
bp.add_url_rule(f"{INJECT}/duplicate", view_func=editor.duplicate_inject, methods=POST)
bp.add_url_rule(f"{INJECT}/delete", view_func=editor.delete_inject, methods=POST)
bp.add_url_rule(f"{INJECT}/responses/new", view_func=editor.new_response, methods=FORM)
bp.add_url_rule(f"{INJECT}/responses/<response_id>", view_func=editor.edit_response, methods=FORM)
bp.add_url_rule(
    f"{INJECT}/responses/<response_id>/delete", view_func=editor.delete_response, methods=POST
)

# the artifacts of an inject
bp.add_url_rule(f"{INJECT}/artifacts", view_func=artifact_views.inject_artifacts, methods=FORM)
bp.add_url_rule(
    f"{INJECT}/artifacts/<int:number>/download",
    view_func=artifact_views.download_artifact,
    methods=GET,
)
bp.add_url_rule(
    f"{INJECT}/artifacts/<int:number>/delete",
    view_func=artifact_views.delete_artifact,
    methods=POST,
)
bp.add_url_rule(
    f"{INJECT}/artifacts/text", view_func=artifact_views.new_text_artifact, methods=FORM
)
bp.add_url_rule(
    f"{INJECT}/artifacts/<int:number>", view_func=artifact_views.edit_text_artifact, methods=FORM
)

# a master scenario events list (CSV)
bp.add_url_rule("/import/msel", view_func=msel_views.msel_upload, methods=GET)
bp.add_url_rule("/import/msel/preview", view_func=msel_views.msel_preview, methods=POST)
bp.add_url_rule("/import/msel/create", view_func=msel_views.msel_create, methods=POST)

# flask scenarios import | export
bp.cli.add_command(cli.import_command, "import")
bp.cli.add_command(cli.export_command, "export")
