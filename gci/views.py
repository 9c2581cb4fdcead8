"""GCI pages: country workspaces, cycles with their framework tree and result snapshots,
node editing, snapshot comparison. Routes are listed in gci/blueprint.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import countries, db
from core.models import Country
from core.policy import allow, authorize, can
from gci import scoring, service
from gci.forms import ActionForm, CloneForm, NodeForm
from gci.framework.validator import FrameworkError
from gci.models import FrameworkVersion, Snapshot
from gci.questionnaire import moves
from gci.schemas import PLACEHOLDER_NOTICE


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


@allow("gci.country.read")
def country(iso3: str):
    found = countries.by_iso3(db.session(), iso3)
    authorize("gci.country.read", found)
    session = db.session()
    focal_points = service.focal_points(session, found)
    scores = []
    staff = can(current_user, "gci.snapshots.read")
    for cycle in service.cycles(session):
        snapshot = service.latest_snapshot(session, cycle, published_only=not staff)
        result = service.country_result(session, snapshot, found) if snapshot else None
        if result is None:
            continue
        framework = service.snapshot_framework(session, snapshot)
        moves = []
        if framework is not None:
            moves = scoring.what_would_move(service.explanation(framework, result), limit=5)
        scores.append(
            {
                "cycle": cycle,
                "snapshot": snapshot,
                "result": result,
                "moves": moves,
                "questions": framework.questions if framework else {},
            }
        )
    return render_template(
        "gci/country.html",
        country=found,
        focal_points=focal_points,
        scores=scores,
        placeholder_notice=PLACEHOLDER_NOTICE,
    )


@allow("gci.snapshots.read")
def cycles():
    session = db.session()
    rows = [
        (c, service.current_framework(session, c), service.latest_snapshot(session, c))
        for c in service.cycles(session)
    ]
    return render_template("gci/cycles.html", rows=rows)


def _cycle_or_404(code: str):
    cycle = service.cycle_by_code(db.session(), code)
    if cycle is None:
        abort(404)
    return cycle


@allow("gci.snapshots.read")
def cycle(code: str):
    session = db.session()
    found = _cycle_or_404(code)
    version = service.current_framework(session, found)
    framework = service.parsed(version) if version else None
    snapshots = service.snapshots(session, found)
    newest = snapshots[0] if snapshots else None
    results = service.results(session, newest) if newest else []
    return render_template(
        "gci/cycle.html",
        cycle=found,
        version=version,
        framework=framework,
        snapshots=snapshots,
        newest=newest,
        results=results,
        action_form=ActionForm(),
        clone_form=CloneForm(),
        placeholder_notice=PLACEHOLDER_NOTICE,
        answer_count=service.answer_count(session, found),
    )


@allow("gci.results.manage")
def recompute(code: str):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    try:
        snapshot = service.recompute(session, _cycle_or_404(code), current_user)
    except service.GciError as error:
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
    cycle = session.get(service.Cycle, snapshot.cycle_id)
    try:
        published = moves.publish_results(session, snapshot, current_user)
    except service.GciError as error:
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
    try:
        changes = service.difference(session, a, b)
    except service.GciError as error:
        abort(400, str(error))
    cycle = session.get(service.Cycle, a.cycle_id)
    return render_template("gci/diff.html", cycle=cycle, older=a, newer=b, changes=changes)


@allow("gci.framework.edit")
def edit_node(framework_id: int, code: str):
    session = db.session()
    version = session.get(FrameworkVersion, framework_id) or abort(404)
    node = service.find_node(version.document, code) or abort(404)
    cycle = session.get(service.Cycle, version.cycle_id)
    form = NodeForm(
        data={
            "label": node.get("text", node.get("name")),
            "help_text": node.get("help_text", ""),
            "weight": node.get("weight", 1),
        }
    )
    problems: list[str] = []
    if form.validate_on_submit():
        changes = {"name": form.label.data, "weight": form.weight.data}
        if form.help_text.data or "help_text" in node:
            changes["help_text"] = form.help_text.data or ""
        try:
            saved = service.edit_node(session, version, code, changes, current_user)
        except FrameworkError as error:
            problems = error.problems
        except service.GciError as error:
            problems = [str(error)]
        else:
            session.commit()
            if saved.id != version.id:
                flash(
                    _(
                        "The framework was frozen, so the edit is saved as version %(v)s.",
                        v=saved.version,
                    ),
                    "success",
                )
            else:
                flash(_("Saved."), "success")
            return redirect(url_for("gci.cycle", code=cycle.code) + f"#node-{code}")
    status = 400 if (problems or form.errors) else 200
    return render_template(
        "gci/edit_node.html",
        version=version,
        cycle=cycle,
        code=code,
        node=node,
        form=form,
        problems=problems,
    ), status


@allow("gci.framework.edit")
def clone(framework_id: int):
    session = db.session()
    version = session.get(FrameworkVersion, framework_id) or abort(404)
    form = CloneForm()
    source = session.get(service.Cycle, version.cycle_id)
    if not form.validate_on_submit() or not form.year.data.isdigit():
        flash(_("Give a cycle code, a name and a four-digit year."), "error")
        return redirect(url_for("gci.cycle", code=source.code))
    try:
        clone_version = service.clone_framework(
            session,
            version,
            cycle_code=form.cycle_code.data,
            name=form.name.data,
            year=int(form.year.data),
            actor=current_user,
        )
    except service.GciError as error:
        flash(str(error), "error")
        return redirect(url_for("gci.cycle", code=source.code))
    session.commit()
    new_cycle = session.get(service.Cycle, clone_version.cycle_id)
    flash(
        _("Cycle %(code)s created from %(source)s.", code=new_cycle.code, source=source.code),
        "success",
    )
    return redirect(url_for("gci.cycle", code=new_cycle.code))
