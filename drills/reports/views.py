"""After-action report pages on the drills blueprint: the reports of a drill (each reader sees
what the policy lets them open: staff all, evaluators and observers the drill's report, a
team's members their own team's), generating and finalising versions, PDF downloads, and the
CSV and JSON exports of the drill's data for trainers and admins."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from core import audit, db
from core.models import utcnow
from core.policy import allow, authorize, can
from drills.forms import ControlForm
from drills.models import AfterActionReport, Drill, Team
from drills.reports import export
from drills.reports import service as report_service
from drills.reports.forms import GenerateForm

# Every team's report in one request takes about 0.15 s a team: beyond this many teams the
# page offers them one by one (the scheduler makes all of them when the drill ends).
ALL_IN_ONE_REQUEST = 60


def _drill(drill_id: int) -> Drill:
    drill = db.session().get(Drill, drill_id)
    if drill is None:
        abort(404)
    return drill


def _may_read(drill: Drill, teams: dict[int, Team], team_id: int | None, final: bool) -> bool:
    if not final and not can(current_user, "drill.report.draft.read", drill):
        return False  # a draft's scores and ratings may still change: teams see final ones
    if team_id is None:
        return can(current_user, "drill.report.read", drill)
    team = teams.get(team_id)
    return team is not None and can(current_user, "team.report.read", team)


def _scope_choices(drill: Drill) -> list[SelectChoice]:
    teams = sorted(drill.teams, key=lambda t: t.name)
    whole = [SelectChoice(report_service.DRILL_SCOPE, _("The whole drill"))]
    if len(teams) <= ALL_IN_ONE_REQUEST:
        whole.append(SelectChoice("all", _("The whole drill and every team")))
    return whole + [
        SelectChoice(report_service.team_scope(t.id), _("Team: %(name)s", name=t.name))
        for t in teams
    ]


@allow("drill.reports")
def reports(drill_id: int):
    drill = _drill(drill_id)
    authorize("drill.reports", drill)
    teams = {t.id: t for t in drill.teams}
    rows = [
        r
        for r in report_service.listing(db.session(), drill.id)
        if _may_read(drill, teams, r.team_id, r.finalised_at is not None)
    ]
    generates = can(current_user, "drill.report.generate")
    form = None
    if generates:
        form = GenerateForm(marking=drill.report_marking)
        form.scope.choices = _scope_choices(drill)
    return render_template(
        "drills/reports.html",
        drill=drill,
        rows=rows,
        teams=teams,
        form=form,
        finalise_form=ControlForm(),
        generates=generates,
        exports=can(current_user, "drill.export") and bool(drill.scenario_version_id),
        csv_tables=export.CSV_TABLES,
    )


@allow("drill.report.generate")
def generate_report(drill_id: int):
    drill = _drill(drill_id)
    form = GenerateForm()
    form.scope.choices = _scope_choices(drill)
    if not form.validate_on_submit():
        flash(_("Choose a report and a marking from the lists."), "error")
        return redirect(url_for("drills.reports", drill_id=drill.id))
    session = db.session()
    if form.marking.data != drill.report_marking:
        audit.record(
            session, "drill.report_marking", actor=current_user, obj_type="drill",
            obj_id=drill.id, before=drill.report_marking, after=form.marking.data,
        )  # fmt: skip
        drill.report_marking = form.marking.data
        session.add(drill)
    locale = str(get_locale() or "en")
    try:
        if form.scope.data == "all":
            made = report_service.generate_all(session, drill, current_user, utcnow(), locale)
        else:
            made = [
                report_service.generate(
                    session, drill, form.scope.data, current_user, utcnow(), locale
                )
            ]
    except report_service.ReportError as error:
        session.rollback()
        flash(str(error), "error")
    else:
        session.commit()
        flash(
            _("%(n)s report version(s) made, each marked DRAFT until finalised.", n=len(made)),
            "success",
        )
    return redirect(url_for("drills.reports", drill_id=drill.id))


def _report(drill: Drill, report_id: int) -> AfterActionReport:
    report = db.session().get(AfterActionReport, report_id)
    if report is None or report.drill_id != drill.id:
        abort(404)
    return report


@allow("drill.report.generate")
def finalise_report(drill_id: int, report_id: int):
    if not ControlForm().validate_on_submit():
        abort(400)
    drill = _drill(drill_id)
    report = _report(drill, report_id)
    session = db.session()
    try:
        report_service.finalise(session, report, current_user, utcnow())
    except report_service.ReportError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("Version %(v)s is final: it will not change again.", v=report.version), "success")
    return redirect(url_for("drills.reports", drill_id=drill.id))


@allow("drill.reports")
def download_report(drill_id: int, report_id: int):
    drill = _drill(drill_id)
    report = _report(drill, report_id)
    if report.finalised_at is None:
        authorize("drill.report.draft.read", drill)
    if report.team_id is None:
        authorize("drill.report.read", drill)
    else:
        authorize("team.report.read", db.session().get(Team, report.team_id))
    state = "final" if report.finalised_at else "draft"
    name = f"aar-drill{drill.id}-{report.scope}-v{report.version}-{state}.pdf"
    return Response(
        report.pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Checksum-SHA256": report.checksum,
        },
    )


@allow("drill.export")
def export_json(drill_id: int):
    drill = _drill(drill_id)
    data = export.export(db.session(), drill, utcnow())  # no scenario: ReportError, 404
    body = json.dumps(data, ensure_ascii=False, indent=1)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="drill{drill.id}.json"'},
    )


@allow("drill.export")
def export_csv(drill_id: int, table: str):
    drill = _drill(drill_id)
    data = export.export(db.session(), drill, utcnow())  # no scenario: ReportError, 404
    return Response(
        export.export_csv(data, table),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="drill{drill.id}-{table}.csv"'},
    )
