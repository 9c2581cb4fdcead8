"""Scenario authoring pages. For now the library page for trainers; authoring comes with the
scenario authoring issue."""

from __future__ import annotations

from flask import Blueprint, render_template

from core.policy import allow

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios", template_folder="templates")


@bp.get("/")
@allow("scenarios.author")
def index():
    return render_template("scenarios/index.html")
