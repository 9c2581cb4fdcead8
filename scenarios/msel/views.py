"""Pages that import a master scenario events list (CSV), with a preview of how every column
and row was understood. Nothing is stored before "Create the draft"; that step reads the same CSV
text again on the server (sent back in a hidden field) and refuses it while a row has an
error."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import db, tables
from core.policy import allow
from scenarios.authoring.service import ScenarioRefused
from scenarios.format import model
from scenarios.msel import service, sheet, words
from scenarios.msel.forms import MselCreateForm, MselForm

FIELD_LABELS = {
    "offset": _l("Offset (minutes)"),
    "story_time": _l("Story time"),
    "channel": _l("Channel"),
    "sender": _l("Sender"),
    "title": _l("Title"),
    "body": _l("Body"),
    "audience": _l("Audience"),
    "expected": _l("Expected response"),
}


def _say(problem: sheet.Problem, with_row: bool = True) -> str:
    """The problem in the reader's language, with its row number (unless shown in its row)."""
    params = dict(problem.params)
    if "field" in params:
        params["field"] = str(FIELD_LABELS.get(params["field"], params["field"]))
    text = _(problem.message, **params)
    if problem.row and with_row:
        return _("Row %(n)s: %(problem)s", n=problem.row, problem=text)
    return text


def _preview(form, text: str, status: int = 200):
    parsed = sheet.read(text)
    create_form = MselCreateForm(
        formdata=None,
        data={"title": form.title.data, "summary": form.summary.data or "", "csv": text},
    )
    return render_template(
        "scenarios/msel_preview.html",
        sheet=parsed,
        title=form.title.data,
        delimiter_name={",": _("comma"), ";": _("semicolon"), "\t": _("tab")}[parsed.delimiter],
        say=_say,
        labels=FIELD_LABELS,
        fields=words.FIELDS,
        create_form=create_form,
        errors=[_say(p) for p in parsed.errors],
    ), status


def _upload_page(form, status=200):
    return render_template(
        "scenarios/msel.html",
        form=form,
        labels=FIELD_LABELS,
        headers=words.HEADERS,
        channel_words=words.CHANNEL_WORDS,
        channels=model.CHANNELS,
        max_kb=sheet.MAX_CSV_BYTES // 1024,
        max_rows=sheet.MAX_ROWS,
    ), status


@allow("scenarios.author")
def msel_upload():
    return _upload_page(MselForm())


@allow("scenarios.author")
def msel_preview():
    """Shows how the CSV was understood; stores nothing."""
    form = MselForm()
    if not form.validate_on_submit():
        return _upload_page(form, 400)
    text = form.text.data or ""
    if form.file.data:
        raw = form.file.data.read(sheet.MAX_CSV_BYTES + 1)
        if len(raw) > sheet.MAX_CSV_BYTES:
            form.file.errors = [
                _("The file is larger than %(kb)s KB.", kb=sheet.MAX_CSV_BYTES // 1024)
            ]
            return _upload_page(form, 400)
        try:
            text = tables.decode(raw)
        except tables.TableError:
            form.file.errors = [_("The file is not UTF-8 text: save it as CSV UTF-8.")]
            return _upload_page(form, 400)
    if not text.strip():
        form.text.errors = [_("Choose a CSV file or paste its text.")]
        return _upload_page(form, 400)
    return _preview(form, text)


@allow("scenarios.author")
def msel_create():
    form = MselCreateForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    try:
        version = service.import_msel(
            session,
            form.csv.data,
            title=form.title.data.strip(),
            summary=form.summary.data.strip() or _("Imported from a master scenario events list."),
            prompt=_("What does your team do? Describe the actions you take and why."),
            actor=current_user,
        )
    except ScenarioRefused:
        flash(_("Nothing was created: correct the rows marked below and try again."), "error")
        return _preview(form, form.csv.data, 422)
    session.commit()
    flash(
        _(
            "Created the draft %(slug)s with %(n)s injects. Add objectives before publishing.",
            slug=version.document["id"],
            n=len(version.document["injects"]),
        ),
        "success",
    )
    return redirect(url_for("scenarios.show", slug=version.document["id"]))
