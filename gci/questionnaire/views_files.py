"""The questionnaire's files, for whoever may answer it (the focal point, or analysts in
secondary research): evidence added, removed and downloaded, and the answers exported as CSV
or JSON and imported from CSV. Routes are listed in gci/blueprint.py."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, render_template, send_file
from flask_babel import gettext as _
from flask_login import current_user

from core import db, tables
from core.policy import allow
from core.security import DOWNLOAD_CSP, talisman
from gci.forms import ActionForm
from gci.models import Evidence
from gci.questionnaire import answers, evidence, reading, rules
from gci.questionnaire.forms import EvidenceForm, ImportForm
from gci.questionnaire.views_common import (
    back_to,
    evidence_folder,
    load,
    to_questionnaire,
    today,
)


@allow("gci.questionnaire.answer")
def add_evidence(cycle_code: str, iso3: str, question_code: str):
    cycle, country, framework = load(cycle_code, iso3, "gci.questionnaire.answer")
    if question_code not in framework.questions:
        abort(404)
    form = EvidenceForm()
    if not form.validate_on_submit():
        abort(400, " ".join(e for errors in form.errors.values() for e in errors))
    session = db.session()
    upload = form.file.data
    if upload and upload.filename:
        item = evidence.add_file(
            session,
            cycle,
            country,
            question_code,
            stream=upload.stream,
            filename=upload.filename,
            description=form.description.data,
            folder=evidence_folder(),
            max_bytes=current_app.config["UPLOAD_MAX_MB"] * 1024 * 1024,
            actor=current_user,
            today=today(),
        )
    elif form.url.data:
        item = evidence.add_url(
            session,
            cycle,
            country,
            question_code,
            url=form.url.data,
            description=form.description.data,
            actor=current_user,
            today=today(),
        )
    else:
        abort(422, _("Choose a file or give a web address."))
    try:
        session.commit()
    except Exception:
        if item.stored_name:
            (evidence_folder() / item.stored_name).unlink(missing_ok=True)
        raise
    flash(_("Evidence added to %(code)s.", code=question_code), "success")
    return back_to(cycle, country, framework, question_code)


def _evidence_or_404(cycle, country, evidence_id: int) -> Evidence:
    item = db.session().get(Evidence, evidence_id)
    if item is None or item.cycle_id != cycle.id or item.country_id != country.id:
        abort(404)
    return item


@allow("gci.questionnaire.answer")
def remove_evidence(cycle_code: str, iso3: str, evidence_id: int):
    cycle, country, framework = load(cycle_code, iso3, "gci.questionnaire.answer")
    if not ActionForm().validate_on_submit():
        abort(400)
    item = _evidence_or_404(cycle, country, evidence_id)
    session = db.session()
    code = item.question_code
    stored = evidence.remove_evidence(session, cycle, country, item, current_user, today())
    session.commit()
    if stored:
        (evidence_folder() / stored).unlink(missing_ok=True)
    flash(_("Evidence removed."), "success")
    return back_to(cycle, country, framework, code)


@talisman(content_security_policy=DOWNLOAD_CSP)
@allow("gci.questionnaire.read")
def download_evidence(cycle_code: str, iso3: str, evidence_id: int):
    """Always a download (attachment, nosniff, a sandbox policy), never shown inline."""
    cycle, country, _framework = load(cycle_code, iso3, "gci.questionnaire.read")
    item = _evidence_or_404(cycle, country, evidence_id)
    if item.kind != "file" or not item.stored_name:
        abort(404)
    path = evidence_folder() / item.stored_name
    if not path.is_file():
        abort(404, _("The file is missing from the evidence store."))
    response = send_file(
        path,
        mimetype=item.content_type,
        as_attachment=True,
        download_name=item.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@allow("gci.questionnaire.read")
def export_answers(cycle_code: str, iso3: str, kind: str):
    """The country's answers as CSV (importable back: question_code, answer) or JSON."""
    cycle, country, framework = load(cycle_code, iso3, "gci.questionnaire.read")
    rows = answers.export_rows(db.session(), cycle, country)
    name = f"{cycle.code}-{country.iso3}-answers.{kind}"
    if kind == "json":
        found = reading.questionnaire(db.session(), cycle, country)
        body = {
            "cycle": cycle.code,
            "country": country.iso3,
            "state": reading.state_of(found),
            "secondary_research": reading.in_research(found),
            "answers": rows,
        }
        response = jsonify(body)
    elif kind == "csv":
        text = rules.answers_csv(framework, rows)
        response = current_app.response_class(text, mimetype="text/csv")
    else:
        abort(404)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@allow("gci.questionnaire.answer")
def import_answers(cycle_code: str, iso3: str):
    """Answers from a CSV file: all rows right, or nothing stored and every wrong row listed."""
    cycle, country, framework = load(cycle_code, iso3, "gci.questionnaire.answer")
    form = ImportForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return to_questionnaire(cycle, country)
    try:
        columns, rows = tables.dict_rows(tables.decode(form.file.data.read()), delimiter=None)
    except tables.TableError:
        abort(422, _("The file is not a UTF-8 CSV file."))
    if not {"question_code", "answer"} <= set(columns):
        abort(422, _("The file needs the columns question_code and answer in its first row."))
    result = rules.read_answers(framework, rows)
    if result.errors:
        return render_template(
            "gci/questionnaire/import_errors.html",
            cycle=cycle,
            country=country,
            errors=result.errors,
        ), 422
    session = db.session()
    changed = answers.import_answers(session, cycle, country, result.values, current_user, today())
    session.commit()
    flash(
        _(
            "%(n)s answers imported (%(changed)s changed, %(skipped)s empty rows skipped).",
            n=len(result.values),
            changed=changed,
            skipped=result.skipped,
        ),
        "success",
    )
    return to_questionnaire(cycle, country)
