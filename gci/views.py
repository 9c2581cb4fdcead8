"""GCI pages. For now: the country workspaces a focal point or an analyst opens; the
questionnaire itself comes with the GCI questionnaire issue."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from core import countries, db
from core.models import Country
from core.policy import allow, authorize
from gci import service

bp = Blueprint("gci", __name__, url_prefix="/gci", template_folder="templates", cli_group="gci")


@bp.get("/")
@allow("gci.countries.list")
def index():
    return render_template("gci/index.html", countries=countries.list_countries(db.session()))


@bp.get("/my-country")
@allow("gci.country.read")
def my_country():
    country = (
        db.session().get(Country, current_user.country_id) if current_user.country_id else None
    )
    authorize("gci.country.read", country)
    return redirect(url_for("gci.country", iso3=country.iso3))


@bp.get("/countries/<iso3>")
@allow("gci.country.read")
def country(iso3: str):
    found = countries.by_iso3(db.session(), iso3)
    authorize("gci.country.read", found)
    focal_points = service.focal_points(db.session(), found)
    return render_template("gci/country.html", country=found, focal_points=focal_points)


from gci import cli  # noqa: E402,F401 - registers `flask gci …` on the blueprint
