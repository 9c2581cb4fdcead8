"""GCI results pages for signed-in people: the country list and a country's workspace (its
focal points, its scores per cycle with "what would move"), and the staff actions on results
(recompute a cycle, publish a snapshot, compare two snapshots). Routes are listed in
gci/blueprint.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import countries, db
from core.models import Country
from core.policy import allow, authorize, can
from gci.cycles import service as cycles
from gci.cycles.views import cycle_or_404
from gci.forms import ActionForm
from gci.models import Cycle, Snapshot
from gci.questionnaire import moves
from gci.results import scoring, snapshots
from gci.results.labels import PLACEHOLDER_NOTICE


@allow("gci.countries.list")
def index():
    return render_template("gci/index.html", countries=countries.list_countries(db.session()))


@allow("gci.country.read")
def my_country():
    country = (
        db.session().get(Country, current_user.country_id) if current_user.country_id else None
    )
    authorize("gci.country.read", country)
    return redirect(url_for("gci.country", iso3=country.iso3))


def _scores(session, country: Country) -> list[dict]:
    """The country's result in every cycle (staff also see unpublished snapshots)."""
    scores = []
    staff = can(current_user, "gci.snapshots.read")
    for cycle in cycles.cycles(session):
        snapshot = snapshots.latest_snapshot(session, cycle, published_only=not staff)
        result = snapshots.country_result(session, snapshot, country) if snapshot else None
        if result is None:
            continue
        framework = snapshots.snapshot_framework(session, snapshot)
        moves = []
        if framework is not None:
            moves = scoring.what_would_move(snapshots.explanation(framework, result), limit=5)
        scores.append(
            {
                "cycle": cycle,
                "snapshot": snapshot,
                "result": result,
                "moves": moves,
                "questions": framework.questions if framework else {},
            }
        )
    return scores


@allow("gci.country.read")
def country(iso3: str):
    found = countries.by_iso3(db.session(), iso3)
    authorize("gci.country.read", found)
    session = db.session()
    return render_template(
        "gci/country.html",
        country=found,
        focal_points=snapshots.focal_points(session, found),
        scores=_scores(session, found),
        placeholder_notice=PLACEHOLDER_NOTICE,
    )


@allow("gci.results.manage")
def recompute(code: str):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    try:  # flash the reason on the cycle page
        snapshot = snapshots.recompute(session, cycle_or_404(code), current_user)
    except cycles.GciError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(
            _("Snapshot %(id)s computed. Publish it when it is right.", id=snapshot.id), "success"
        )
    return redirect(url_for("gci.cycle", code=code))


@allow("gci.results.manage")
def publish(snapshot_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    snapshot = session.get(Snapshot, snapshot_id) or abort(404)
    cycle = session.get(Cycle, snapshot.cycle_id)
    try:  # flash the reason on the cycle page
        published = moves.publish_results(session, snapshot, current_user)
    except cycles.GciError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("Snapshot %(id)s is published; its numbers are frozen.", id=snapshot.id), "success")
        if published:
            names = ", ".join(sorted(session.get(Country, q.country_id).name for q in published))
            flash(_("Published with it, as their countries approved them: %(names)s.",
                    names=names), "success")  # fmt: skip
    return redirect(url_for("gci.cycle", code=cycle.code))


@allow("gci.snapshots.read")
def diff(older: int, newer: int):
    session = db.session()
    a = session.get(Snapshot, older) or abort(404)
    b = session.get(Snapshot, newer) or abort(404)
    changes = snapshots.difference(session, a, b)
    cycle = session.get(Cycle, a.cycle_id)
    return render_template("gci/diff.html", cycle=cycle, older=a, newer=b, changes=changes)
