"""The admin's pages of a cycle's questionnaires: every country's progress (analysts read it
too), the reminders to late focal points and the cycle's settings. Routes are listed in
gci/blueprint.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import db
from core.models import ItuRegion
from core.policy import allow
from gci.cycles import service as cycle_service
from gci.questionnaire import overview, reading
from gci.questionnaire.forms import CycleSettingsForm
from gci.questionnaire.views_common import STATE_LABELS


def _cycle_or_404(code: str):
    cycle = cycle_service.cycle_by_code(db.session(), code)
    if cycle is None or cycle.historic:
        abort(404)
    return cycle


@allow("gci.questionnaire.review")
def cycle_progress(code: str):
    session = db.session()
    cycle = _cycle_or_404(code)
    region = request.args.get("region") or None
    status = request.args.get("status") or None
    if region and region not in {r.value for r in ItuRegion}:
        abort(400, _("Unknown region."))
    if status and status not in overview.STATUSES:
        abort(400, _("Unknown state."))
    settings_form = CycleSettingsForm(
        data={
            "opens_on": cycle.opens_on,
            "closes_on": cycle.closes_on,
            "show_whatif": cycle.show_whatif,
        }
    )
    return render_template(
        "gci/questionnaire/progress.html",
        cycle=cycle,
        framework=reading.framework_of(session, cycle),
        rows=overview.overview(session, cycle, region, status),
        regions=[r.value for r in ItuRegion],
        statuses=overview.STATUSES,
        state_labels=STATE_LABELS,
        region=region,
        status=status,
        progress_text=reading.progress_text,
        settings_form=settings_form,
        not_submitted=len(overview.not_submitted(session, cycle))
        if not (region or status)
        else None,
    )


@allow("gci.cycle.settings")
def cycle_reminders(code: str):
    session = db.session()
    cycle = _cycle_or_404(code)
    done = overview.send_reminders(session, cycle, current_user)
    session.commit()
    flash(_("%(n)s reminders are on their way.", n=done.sent), "success")
    if done.unreached:
        names = ", ".join(c.name for c in done.unreached)
        flash(_("No focal point to remind in: %(names)s. Invite one under Users.", names=names),
              "warning")  # fmt: skip
    return redirect(url_for("gci.cycle_progress", code=code))


@allow("gci.cycle.settings")
def cycle_settings(code: str):
    session = db.session()
    cycle = _cycle_or_404(code)
    form = CycleSettingsForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("gci.cycle_progress", code=code))
    overview.update_settings(
        session,
        cycle,
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        show_whatif=form.show_whatif.data,
        actor=current_user,
    )
    session.commit()
    flash(_("Cycle settings saved."), "success")
    return redirect(url_for("gci.cycle_progress", code=code))
