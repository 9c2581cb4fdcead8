"""GCI cycle pages for staff: the cycles, one cycle with its framework tree, snapshots and
newest results, editing one framework node, starting a new cycle from a framework. Routes are
listed in gci/blueprint.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import db
from core.policy import allow
from gci.cycles import service
from gci.cycles.forms import CloneForm, NodeForm
from gci.forms import ActionForm
from gci.framework.validator import FrameworkError
from gci.models import Cycle, FrameworkVersion
from gci.results import snapshots
from gci.results.labels import PLACEHOLDER_NOTICE


@allow("gci.snapshots.read")
def cycles():
    session = db.session()
    rows = [
        (c, service.current_framework(session, c), snapshots.latest_snapshot(session, c))
        for c in service.cycles(session)
    ]
    return render_template("gci/cycles.html", rows=rows)


def cycle_or_404(code: str) -> Cycle:
    cycle = service.cycle_by_code(db.session(), code)
    if cycle is None:
        abort(404)
    return cycle


@allow("gci.snapshots.read")
def cycle(code: str):
    session = db.session()
    found = cycle_or_404(code)
    version = service.current_framework(session, found)
    framework = service.parsed(version) if version else None
    listed = snapshots.snapshots(session, found)
    newest = listed[0] if listed else None
    results = snapshots.results(session, newest) if newest else []
    return render_template(
        "gci/cycle.html",
        cycle=found,
        version=version,
        framework=framework,
        snapshots=listed,
        newest=newest,
        results=results,
        action_form=ActionForm(),
        clone_form=CloneForm(),
        placeholder_notice=PLACEHOLDER_NOTICE,
        answer_count=snapshots.answer_count(session, found),
    )


@allow("gci.framework.edit")
def edit_node(framework_id: int, code: str):
    session = db.session()
    version = session.get(FrameworkVersion, framework_id) or abort(404)
    node = service.find_node(version.document, code) or abort(404)
    cycle = session.get(Cycle, version.cycle_id)
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
        # a page behaviour, not a mapping: the problems are shown beside the form
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
    source = session.get(Cycle, version.cycle_id)
    if not form.validate_on_submit() or not form.year.data.isdigit():
        flash(_("Give a cycle code, a name and a four-digit year."), "error")
        return redirect(url_for("gci.cycle", code=source.code))
    try:  # flash and go back to the cycle page
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
    new_cycle = session.get(Cycle, clone_version.cycle_id)
    flash(
        _("Cycle %(code)s created from %(source)s.", code=new_cycle.code, source=source.code),
        "success",
    )
    return redirect(url_for("gci.cycle", code=new_cycle.code))
