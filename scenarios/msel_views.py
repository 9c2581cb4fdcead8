"""Pages on the scenarios blueprint for two ways to start a scenario from another: clone one,
and import a master scenario events list (CSV) with a preview of how every column and row
was understood. Nothing is stored before "Create the draft"; that step reads the same CSV
text again on the server (sent back in a hidden field) and refuses it while a row has an
error."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from core import db
from core.policy import allow
from scenarios import model, msel, service
from scenarios.forms import PublishForm
from scenarios.views import _scenario_or_404, bp


@bp.post("/<slug>/clone")
@allow("scenarios.author")
def clone(slug: str):
    if not PublishForm().validate_on_submit():
        abort(400)
    session = db.session()
    source = _scenario_or_404(slug)
    title = service.latest(session, source).document.get("title", source.slug)
    version = service.clone(
        session, source, _("Copy of %(title)s", title=title), actor=current_user
    )
    session.commit()
    flash(_("Cloned as a new scenario with its own history (a draft)."), "success")
    return redirect(url_for("scenarios.show", slug=version.document["id"]))


# --- master scenario events list ---------------------------------------------------------------


class MselForm(FlaskForm):
    title = StringField(_l("Scenario title"), validators=[InputRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary (optional)"), validators=[Optional(), Length(max=2000)])
    file = FileField(
        _l("CSV file"),
        validators=[FileAllowed(["csv", "txt"], _l("A CSV file (.csv) only."))],
    )
    text = TextAreaField(_l("Or paste the CSV text"), validators=[Optional()])


class MselCreateForm(FlaskForm):
    """The preview's button: the same CSV text and facts, read again on the server."""

    title = HiddenField(validators=[InputRequired(), Length(max=200)])
    summary = HiddenField(validators=[Optional(), Length(max=2000)])
    csv = HiddenField(validators=[InputRequired()])


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


def _say(problem: msel.Problem, with_row: bool = True) -> str:
    """The problem in the reader's language, with its row number (unless shown in its row)."""
    params = dict(problem.params)
    if "field" in params:
        params["field"] = str(FIELD_LABELS.get(params["field"], params["field"]))
    text = _(problem.message, **params)
    if problem.row and with_row:
        return _("Row %(n)s: %(problem)s", n=problem.row, problem=text)
    return text


def _preview(form, text: str, status: int = 200):
    sheet = msel.read(text)
    create_form = MselCreateForm(
        formdata=None,
        data={"title": form.title.data, "summary": form.summary.data or "", "csv": text},
    )
    return render_template(
        "scenarios/msel_preview.html",
        sheet=sheet,
        title=form.title.data,
        delimiter_name={",": _("comma"), ";": _("semicolon"), "\t": _("tab")}[sheet.delimiter],
        say=_say,
        labels=FIELD_LABELS,
        fields=msel.FIELDS,
        create_form=create_form,
        errors=[_say(p) for p in sheet.errors],
    ), status


def _upload_page(form, status=200):
    return render_template(
        "scenarios/msel.html",
        form=form,
        labels=FIELD_LABELS,
        headers=msel.HEADERS,
        channel_words=msel.CHANNEL_WORDS,
        channels=model.CHANNELS,
        max_kb=msel.MAX_CSV_BYTES // 1024,
        max_rows=msel.MAX_ROWS,
    ), status


@bp.get("/import/msel")
@allow("scenarios.author")
def msel_upload():
    return _upload_page(MselForm())


@bp.post("/import/msel/preview")
@allow("scenarios.author")
def msel_preview():
    """Shows how the CSV was understood; stores nothing."""
    form = MselForm()
    if not form.validate_on_submit():
        return _upload_page(form, 400)
    text = form.text.data or ""
    if form.file.data:
        raw = form.file.data.read(msel.MAX_CSV_BYTES + 1)
        if len(raw) > msel.MAX_CSV_BYTES:
            form.file.errors = [
                _("The file is larger than %(kb)s KB.", kb=msel.MAX_CSV_BYTES // 1024)
            ]
            return _upload_page(form, 400)
        try:
            text = msel.decode(raw)
        except UnicodeDecodeError:
            form.file.errors = [_("The file is not UTF-8 text: save it as CSV UTF-8.")]
            return _upload_page(form, 400)
    if not text.strip():
        form.text.errors = [_("Choose a CSV file or paste its text.")]
        return _upload_page(form, 400)
    return _preview(form, text)


@bp.post("/import/msel/create")
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
    except service.ScenarioRefused:
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
