"""Pages of the shell everyone reaches: home, countries, health; the layout's context."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    jsonify,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_login import current_user

from core import countries, db, health
from core.forms import (
    ROLE_LABELS,
)
from core.models import ItuRegion
from core.policy import allow, can


def layout_context():
    from core.navigation import navigation

    return {
        "nav_items": navigation(current_user),
        "role_labels": ROLE_LABELS,
        "can": lambda action, obj=None: can(current_user, action, obj),
    }


@allow("public")
def index():
    return render_template("core/index.html")


@allow("public")
def countries_page():
    region = request.args.get("region") or None
    group = request.args.get("group") or None
    if region and region not in {r.value for r in ItuRegion}:
        abort(400, _("Unknown region."))
    if group and group not in countries.GROUPS:
        abort(400, _("Unknown group."))
    rows = countries.list_countries(db.session(), region=region, group=group)
    return render_template(
        "core/countries.html",
        countries=rows,
        regions=[r.value for r in ItuRegion],
        groups=countries.GROUP_LABELS,
        region=region,
        group=group,
    )


@allow("public")
def healthz():
    ok, report = health.check(db.session(), current_app.config["SCHEDULER_STALE_SECONDS"])
    response = jsonify(report)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
