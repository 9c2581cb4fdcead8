"""Questionnaire pages on the gci blueprint: the focal point's questionnaire (pillar pages
whose answers save themselves through a JSON endpoint, evidence, the completeness check and
hand-in), the workflow moves, one question's history, and the admin's progress overview with
the cycle settings.

A focal point who asks for another country's questionnaire gets 404, not 403: they do not
learn whether it exists."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, validate
from sqlmodel import select

from core import db
from core.models import Country, ItuRegion, Role, User, utcnow
from core.policy import allow, can
from gci import questionnaire as rules
from gci import questionnaire_service as qs
from gci import workflow
from gci.blueprint import bp
from gci.cycles import service
from gci.evidence import ACCEPTED
from gci.forms import ActionForm
from gci.models import Evidence, Questionnaire
from gci.questionnaire_forms import (
    CycleSettingsForm,
    EvidenceForm,
    ImportForm,
    MoveForm,
    ReplyForm,
    ReviewForm,
)
from gci.results.labels import PLACEHOLDER_NOTICE

ANSWER_LABELS = {"yes": _l("Yes"), "no": _l("No"), "partial": _l("Partly")}
STATE_LABELS = qs.STATE_LABELS
ACTION_LABELS = {
    "submit": _l("Submit the questionnaire"),
    "submit_research": _l("Hand in the secondary research"),
    "start_review": _l("Start the review"),
    "request_clarification": _l("Ask for clarification"),
    "resubmit": _l("Resubmit the questionnaire"),
    "validate": _l("Validate"),
    "approve": _l("Approve for publication"),
    "publish": _l("Mark as published"),
}
COMMENT_LABELS = {
    "clarification": _l("Analyst asks"),
    "reply": _l("Focal point replies"),
    "correction": _l("Analyst corrected the answer"),
    "accepted": _l("Analyst accepted the answer"),
}
ACCEPT_ATTRIBUTE = ",".join(
    [".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".png", ".jpg", ".jpeg"]
)


def today():
    return utcnow().date()


def _load(cycle_code: str, iso3: str, action: str):
    """The cycle, country and framework of a questionnaire the current user may `action`."""
    cycle, country, _found, framework = _load_all(cycle_code, iso3, action)
    return cycle, country, framework


def _load_all(cycle_code: str, iso3: str, action: str):
    """_load, and the questionnaire (None before its first answer), read in one query."""
    found = qs.lookup(db.session(), cycle_code, iso3)
    refused = refusal(current_user, found, action)
    if refused:
        abort(refused)
    if found[3] is None:
        abort(404, _("%(cycle)s has no framework yet.", cycle=found[0].name))
    return found


def refusal(user, found, action: str) -> int | None:
    """The status to refuse `user` with for what qs.lookup found, if any: a focal point of
    another country learns nothing (404), other refusals say so."""
    if found is None or found[0].historic:
        return 404
    cycle, country, questionnaire, _framework = found
    if not can(user, action, _subject(cycle, country, questionnaire, action)):
        return 404 if user.role == Role.focal_point else 403
    return None


def _subject(cycle, country, found, action: str):
    """What the policy decides on: the questionnaire for answering (whether it is in
    secondary research matters), else the country."""
    if action != "gci.questionnaire.answer":
        return country
    return found or Questionnaire(cycle_id=cycle.id, country_id=country.id)


def _answerable(cycle, country, found) -> bool:
    """Whether the current user may change answers now (for showing the inputs)."""
    subject = found or Questionnaire(cycle_id=cycle.id, country_id=country.id)
    state = qs.state_of(found)
    if not can(current_user, "gci.questionnaire.answer", subject) or not workflow.editable(state):
        return False
    if subject.secondary_research and current_user.role != Role.focal_point:
        return True
    return state != "draft" or qs.window_open(cycle, today())


def _progress_text(count: rules.Count) -> str:
    return _(
        "%(answered)s of %(total)s answered (%(percent)s%%)",
        answered=count.answered,
        total=count.total,
        percent=count.percent,
    )


def _whatif(cycle, framework, values):
    if not cycle.show_whatif:
        return None
    score = qs.what_if(framework, values)
    if score is None:
        return None
    return {
        "overall": f"{score.overall:.2f}",
        "pillars": {code: f"{value:.2f}" for code, value in score.pillars.items()},
        "tier": score.tier.name if score.tier else "",
    }


def _context(cycle, country, framework):
    session = db.session()
    found = qs.questionnaire(session, cycle, country)
    state = qs.state_of(found)
    rows = qs.answers(session, cycle, country)
    values = qs.values_of(rows)
    return {
        "cycle": cycle,
        "country": country,
        "framework": framework,
        "questionnaire": found,
        "state": state,
        "state_labels": STATE_LABELS,
        "rows": rows,
        "values": values,
        "shown": rules.visible(framework, values),
        "progress": rules.progress(framework, values),
        "progress_text": _progress_text,
        "whatif": _whatif(cycle, framework, values),
        "answerable": _answerable(cycle, country, found),
        "research": found is not None and found.secondary_research,
        "window_open": qs.window_open(cycle, today()),
        "moves": _moves(state, found is not None and found.secondary_research),
        "move_form": MoveForm(),
        "import_form": ImportForm(),
        "action_labels": ACTION_LABELS,
        "placeholder_notice": PLACEHOLDER_NOTICE if framework.placeholder_weights else None,
    }


def _names(session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {u.id: u.name for u in session.exec(select(User).where(User.id.in_(user_ids)))}


def _moves(state: str, research: bool) -> list[str]:
    """The workflow moves the current user may make from `state`."""
    moves = [m.action for m in workflow.moves_from(state, current_user.role)]
    return [a for a in moves if a != "submit_research" or research]


# --- the focal point's pages -------------------------------------------------------------


@bp.get("/questionnaire")
@allow("gci.questionnaire.mine")
def my_questionnaire():
    session = db.session()
    cycles = qs.open_cycles(session, today())
    country = session.get(Country, current_user.country_id) if current_user.country_id else None
    if country is None:
        abort(404)
    if len(cycles) == 1:
        return redirect(url_for("gci.questionnaire", cycle_code=cycles[0].code, iso3=country.iso3))
    return render_template("gci/questionnaire/mine.html", cycles=cycles, country=country)


@bp.get("/questionnaires/<cycle_code>/<iso3>")
@allow("gci.questionnaire.read")
def questionnaire(cycle_code: str, iso3: str):
    cycle, country, framework = _load(cycle_code, iso3, "gci.questionnaire.read")
    context = _context(cycle, country, framework)
    asked = None
    if context["state"] == "clarification_requested":
        asked = qs.clarification(db.session(), cycle, country)
    return render_template("gci/questionnaire/overview.html", clarification=asked, **context)


@bp.get("/questionnaires/<cycle_code>/<iso3>/pillars/<pillar_code>")
@allow("gci.questionnaire.read")
def questionnaire_pillar(cycle_code: str, iso3: str, pillar_code: str):
    cycle, country, framework = _load(cycle_code, iso3, "gci.questionnaire.read")
    pillar = next((p for p in framework.pillars if p.code == pillar_code), None)
    if pillar is None:
        abort(404)
    context = _context(cycle, country, framework)
    session = db.session()
    thread = qs.comments(session, cycle, country)
    authors = {c.author_id for items in thread.values() for c in items if c.author_id}
    staff = can(current_user, "gci.questionnaire.review")
    return render_template(
        "gci/questionnaire/pillar.html",
        pillar=pillar,
        comments=thread,
        names=_names(session, authors),
        comment_labels=COMMENT_LABELS,
        reviewing=staff and context["state"] == "in_review",
        replying=current_user.role == Role.focal_point
        and context["state"] == "clarification_requested",
        review_form=ReviewForm(),
        reply_form=ReplyForm(),
        indicators=list(rules.leaf_indicators(pillar.indicators)),
        evidence=qs.evidence(db.session(), cycle, country),
        evidence_form=EvidenceForm(),
        action_form=ActionForm(),
        answer_labels=ANSWER_LABELS,
        accept=ACCEPT_ATTRIBUTE,
        accepted_kinds=ACCEPTED,
        max_mb=current_app.config["UPLOAD_MAX_MB"],
        **context,
    )


class AnswerIn(Schema):
    value = fields.Raw(required=True, allow_none=True)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))


ANSWER_IN = AnswerIn()  # a schema holds no state between loads


def _reply(status: int, **body):
    response = jsonify(body)
    response.status_code = status
    return response


@bp.post("/questionnaires/<cycle_code>/<iso3>/answers/<question_code>")
@allow("gci.questionnaire.answer")
def save_answer(cycle_code: str, iso3: str, question_code: str):
    """Save one answer (JSON {"value", "version"}); 409 with the stored answer when the
    version is stale or the questionnaire is read-only, 422 when the value is not possible.
    Most saves are answered before Flask, by gci/autosave.py, through `answer_saved`."""
    found = _load_all(cycle_code, iso3, "gci.questionnaire.answer")
    status, body = answer_saved(
        db.session(), current_user, found, question_code, request.get_json(silent=True)
    )
    return _reply(status, **body)


def answer_saved(session, user, found, question_code: str, sent) -> tuple[int, dict]:
    """The autosave of `sent` (the request's JSON) by `user`, who may answer the
    questionnaire `found` (qs.lookup, passed by `refusal`): the status and body of the reply, in the
    current locale. Commits when the answer was saved."""
    cycle, country, questionnaire, framework = found
    try:
        data = ANSWER_IN.load(sent or {})
    except ValidationError as error:
        return 422, {"reason": "invalid", "message": str(error.messages)}
    try:
        saved = qs.save_answer(
            session,
            cycle,
            country,
            question_code,
            data["value"],
            data["version"],
            user,
            today(),
            framework,
            questionnaire,
        )
    except qs.StaleAnswer as error:
        current = error.current
        return 409, {
            "reason": "stale",
            "message": _("Someone else saved another answer in the meantime."),
            "value": current.value if current else None,
            "version": current.version if current else 0,
        }
    except qs.ReadOnly as error:
        return 409, {"reason": "read_only", "state": error.state, "message": str(error)}
    except qs.NotOpen as error:
        return 409, {"reason": "closed", "message": str(error)}
    except qs.QuestionnaireError as error:
        return 422, {"reason": "invalid", "message": str(error)}
    session.commit()  # before the reply is worked out: SQLite's write lock is held until then
    # Only the progress this save changed: the page holds the rest.
    before, after = rules.progress(framework, saved.before), rules.progress(framework, saved.values)
    body = {
        "code": question_code,
        "value": saved.stored.value if saved.stored else None,
        "version": saved.stored.version if saved.stored else 0,
        "visible": sorted(rules.visible(framework, saved.values)),
        "overall": _progress_text(after.overall),
        "pillars": _changed(before.pillars, after.pillars),
        "indicators": _changed(before.indicators, after.indicators),
        "whatif": _whatif(cycle, framework, saved.values),
        "message": _("Saved."),
    }
    return 200, body


def _changed(before: dict, after: dict) -> dict[str, str]:
    return {code: _progress_text(count) for code, count in after.items() if count != before[code]}


# --- evidence ----------------------------------------------------------------------------


def evidence_folder() -> Path:
    return Path(current_app.config["EVIDENCE_DIR"])


def _back_to(cycle, country, framework, code: str):
    pillar = framework.pillar_of.get(code, framework.pillars[0].code)
    return redirect(
        url_for(
            "gci.questionnaire_pillar",
            cycle_code=cycle.code,
            iso3=country.iso3,
            pillar_code=pillar,
        )
        + f"#q-{code}"
    )


@bp.post("/questionnaires/<cycle_code>/<iso3>/questions/<question_code>/evidence")
@allow("gci.questionnaire.answer")
def add_evidence(cycle_code: str, iso3: str, question_code: str):
    cycle, country, framework = _load(cycle_code, iso3, "gci.questionnaire.answer")
    if question_code not in framework.questions:
        abort(404)
    form = EvidenceForm()
    if not form.validate_on_submit():
        abort(400, " ".join(e for errors in form.errors.values() for e in errors))
    session = db.session()
    upload = form.file.data
    try:
        if upload and upload.filename:
            item = qs.add_file(
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
            item = qs.add_url(
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
    except qs.QuestionnaireError as error:
        abort(error.status, str(error))
    try:
        session.commit()
    except Exception:
        if item.stored_name:
            (evidence_folder() / item.stored_name).unlink(missing_ok=True)
        raise
    flash(_("Evidence added to %(code)s.", code=question_code), "success")
    return _back_to(cycle, country, framework, question_code)


def _evidence_or_404(cycle, country, evidence_id: int) -> Evidence:
    item = db.session().get(Evidence, evidence_id)
    if item is None or item.cycle_id != cycle.id or item.country_id != country.id:
        abort(404)
    return item


@bp.post("/questionnaires/<cycle_code>/<iso3>/evidence/<int:evidence_id>/delete")
@allow("gci.questionnaire.answer")
def remove_evidence(cycle_code: str, iso3: str, evidence_id: int):
    cycle, country, framework = _load(cycle_code, iso3, "gci.questionnaire.answer")
    if not ActionForm().validate_on_submit():
        abort(400)
    item = _evidence_or_404(cycle, country, evidence_id)
    session = db.session()
    code = item.question_code
    try:
        stored = qs.remove_evidence(session, cycle, country, item, current_user, today())
    except qs.QuestionnaireError as error:
        abort(error.status, str(error))
    session.commit()
    if stored:
        (evidence_folder() / stored).unlink(missing_ok=True)
    flash(_("Evidence removed."), "success")
    return _back_to(cycle, country, framework, code)


@bp.get("/questionnaires/<cycle_code>/<iso3>/evidence/<int:evidence_id>")
@allow("gci.questionnaire.read")
def download_evidence(cycle_code: str, iso3: str, evidence_id: int):
    """Always a download (attachment, nosniff), never shown inline in the browser."""
    cycle, country, _framework = _load(cycle_code, iso3, "gci.questionnaire.read")
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
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- completeness, workflow, history -----------------------------------------------------


@bp.get("/questionnaires/<cycle_code>/<iso3>/check")
@allow("gci.questionnaire.read")
def questionnaire_check(cycle_code: str, iso3: str):
    cycle, country, framework = _load(cycle_code, iso3, "gci.questionnaire.read")
    gaps = qs.missing(db.session(), cycle, country)
    return render_template(
        "gci/questionnaire/check.html", missing=gaps, **_context(cycle, country, framework)
    )


def workflow_message(error: workflow.WorkflowError) -> str:
    if error.possible:
        options = ", ".join(str(ACTION_LABELS[a]) for a in error.possible)
        hint = _("What you can do now: %(options)s.", options=options)
    else:
        hint = _("There is nothing you can do to it now.")
    return _(
        "A questionnaire that is %(state)s cannot take this step (%(action)s). %(hint)s",
        state=STATE_LABELS.get(error.state, error.state),
        action=ACTION_LABELS.get(error.action, error.action),
        hint=hint,
    )


@bp.post("/questionnaires/<cycle_code>/<iso3>/move")
@allow("gci.questionnaire.move")
def move_questionnaire(cycle_code: str, iso3: str):
    cycle, country, _framework = _load(cycle_code, iso3, "gci.questionnaire.move")
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    action = form.action.data
    if action == "publish":  # only publishing the cycle's results publishes a questionnaire
        flash(_("Questionnaires are published with the cycle's results, on the cycle page."),
              "error")  # fmt: skip
        return redirect(url_for("gci.questionnaire", cycle_code=cycle.code, iso3=country.iso3))
    session = db.session()
    try:
        qs.move(session, cycle, country, action, current_user, form.comment.data or "", today())
    except workflow.WorkflowError as error:
        flash(workflow_message(error), "error")
    except qs.Incomplete as error:
        flash(
            _(
                "Not submitted: %(n)s answers or pieces of evidence are missing; see the list.",
                n=len(error.missing),
            ),
            "error",
        )
        return redirect(
            url_for("gci.questionnaire_check", cycle_code=cycle.code, iso3=country.iso3)
        )
    except qs.QuestionnaireError as error:  # closed cycle, research not started
        flash(str(error), "error")
    else:
        session.commit()
        flash(
            _(
                "Done: the questionnaire is now %(state)s.",
                state=STATE_LABELS[qs.state_of(qs.questionnaire(session, cycle, country))],
            ),
            "success",
        )
    return redirect(url_for("gci.questionnaire", cycle_code=cycle.code, iso3=country.iso3))


@bp.get("/questionnaires/<cycle_code>/<iso3>/history/<question_code>")
@allow("gci.questionnaire.read")
def question_history(cycle_code: str, iso3: str, question_code: str):
    cycle, country, framework = _load(cycle_code, iso3, "gci.questionnaire.read")
    question = framework.questions.get(question_code) or abort(404)
    session = db.session()
    events = qs.history(session, cycle, country, question_code)
    names = _names(session, {e.actor_id for e in events if e.actor_id})
    return render_template(
        "gci/questionnaire/history.html",
        cycle=cycle,
        country=country,
        question=question,
        events=events,
        names=names,
        pillar=framework.pillar_of[question_code],
    )


# --- the admin's overview ----------------------------------------------------------------


@bp.get("/cycles/<code>/progress")
@allow("gci.questionnaire.review")
def cycle_progress(code: str):
    session = db.session()
    cycle = service.cycle_by_code(session, code)
    if cycle is None or cycle.historic:
        abort(404)
    region = request.args.get("region") or None
    status = request.args.get("status") or None
    if region and region not in {r.value for r in ItuRegion}:
        abort(400, _("Unknown region."))
    if status and status not in qs.STATUSES:
        abort(400, _("Unknown state."))
    framework = qs.framework_of(session, cycle)
    rows = qs.overview(session, cycle, region, status)
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
        framework=framework,
        rows=rows,
        regions=[r.value for r in ItuRegion],
        statuses=qs.STATUSES,
        state_labels=STATE_LABELS,
        region=region,
        status=status,
        progress_text=_progress_text,
        settings_form=settings_form,
        not_submitted=len(qs.not_submitted(session, cycle)) if not (region or status) else None,
    )


@bp.post("/cycles/<code>/reminders")
@allow("gci.cycle.settings")
def cycle_reminders(code: str):
    session = db.session()
    cycle = service.cycle_by_code(session, code)
    if cycle is None or cycle.historic:
        abort(404)
    done = qs.send_reminders(session, cycle, current_user)
    session.commit()
    flash(_("%(n)s reminders are on their way.", n=done.sent), "success")
    if done.unreached:
        names = ", ".join(c.name for c in done.unreached)
        flash(_("No focal point to remind in: %(names)s. Invite one under Users.", names=names),
              "warning")  # fmt: skip
    return redirect(url_for("gci.cycle_progress", code=code))


@bp.post("/cycles/<code>/settings")
@allow("gci.cycle.settings")
def cycle_settings(code: str):
    session = db.session()
    cycle = service.cycle_by_code(session, code)
    if cycle is None or cycle.historic:
        abort(404)
    form = CycleSettingsForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("gci.cycle_progress", code=code))
    qs.update_settings(
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


# --- the analyst's review ----------------------------------------------------------------


@bp.get("/review")
@allow("gci.questionnaire.review")
def review_queue():
    return render_template(
        "gci/questionnaire/queue.html",
        rows=qs.review_queue(db.session()),
        state_labels=STATE_LABELS,
    )


def _parse_correction(question, raw: str):
    raw = (raw or "").strip()
    if question.answer_type == "number":
        try:
            return float(raw)
        except ValueError:
            abort(422, _("Give the corrected answer as a number."))
    if question.answer_type == "multiple_choice":
        return [key.strip() for key in raw.split(",") if key.strip()]
    return raw


@bp.post("/questionnaires/<cycle_code>/<iso3>/questions/<question_code>/review")
@allow("gci.questionnaire.review")
def review_answer(cycle_code: str, iso3: str, question_code: str):
    """Accept an answer, ask about it, or correct it with a reason."""
    cycle, country, framework = _load(cycle_code, iso3, "gci.questionnaire.read")
    question = framework.questions.get(question_code) or abort(404)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    decision = form.decision.data
    try:
        if decision == "accept":
            qs.accept(session, cycle, country, question_code, current_user)
            message = _("%(code)s accepted.", code=question_code)
        elif decision == "clarify":
            qs.ask(session, cycle, country, question_code, form.comment.data, current_user)
            message = _(
                "Question about %(code)s noted; send the questionnaire back for clarification "
                "when the review is done.",
                code=question_code,
            )
        else:
            value = _parse_correction(question, form.value.data)
            qs.correct(
                session, cycle, country, question_code, value, form.comment.data, current_user
            )
            message = _("%(code)s corrected; the focal point sees why.", code=question_code)
    except qs.QuestionnaireError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(message, "success")
    return _back_to(cycle, country, framework, question_code)


@bp.post("/questionnaires/<cycle_code>/<iso3>/questions/<question_code>/reply")
@allow("gci.questionnaire.answer")
def reply_to_review(cycle_code: str, iso3: str, question_code: str):
    cycle, country, framework = _load(cycle_code, iso3, "gci.questionnaire.answer")
    if question_code not in framework.questions:
        abort(404)
    if current_user.role != Role.focal_point:
        abort(403, _("The country's focal point replies to the analysts' questions."))
    form = ReplyForm()
    if not form.validate_on_submit():
        flash(_("Write your reply first."), "error")
        return _back_to(cycle, country, framework, question_code)
    session = db.session()
    try:
        qs.reply(session, cycle, country, question_code, form.comment.data, current_user)
    except qs.QuestionnaireError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("Reply sent."), "success")
    return _back_to(cycle, country, framework, question_code)


# --- answers as a file -------------------------------------------------------------------

EXPORT_COLUMNS = [
    "question_code",
    "pillar",
    "question",
    "answer",
    "shown",
    "accepted",
    "version",
    "evidence",
]


@bp.get("/questionnaires/<cycle_code>/<iso3>/answers.<kind>")
@allow("gci.questionnaire.read")
def export_answers(cycle_code: str, iso3: str, kind: str):
    """The country's answers as CSV (importable back: question_code, answer) or JSON."""
    cycle, country, framework = _load(cycle_code, iso3, "gci.questionnaire.read")
    rows = qs.export_rows(db.session(), cycle, country)
    name = f"{cycle.code}-{country.iso3}-answers.{kind}"
    if kind == "json":
        found = qs.questionnaire(db.session(), cycle, country)
        body = {
            "cycle": cycle.code,
            "country": country.iso3,
            "state": qs.state_of(found),
            "secondary_research": bool(found and found.secondary_research),
            "answers": rows,
        }
        response = jsonify(body)
    elif kind == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            question = framework.questions[row["question_code"]]
            answer = rules.value_to_cell(row["answer"])
            writer.writerow(
                {
                    **row,
                    "question": rules.safe_cell(row["question"]),
                    "answer": rules.safe_cell(answer) if question.answer_type == "text" else answer,
                    "evidence": len(row["evidence"]),
                }
            )
        response = current_app.response_class(out.getvalue(), mimetype="text/csv")
    else:
        abort(404)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.post("/questionnaires/<cycle_code>/<iso3>/import")
@allow("gci.questionnaire.answer")
def import_answers(cycle_code: str, iso3: str):
    """Answers from a CSV file: all rows right, or nothing stored and every wrong row listed."""
    cycle, country, framework = _load(cycle_code, iso3, "gci.questionnaire.answer")
    form = ImportForm()
    back = url_for("gci.questionnaire", cycle_code=cycle.code, iso3=country.iso3)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(back)
    try:
        text = form.file.data.read().decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text))
        rows = list(reader)
    except (UnicodeDecodeError, csv.Error):
        abort(422, _("The file is not a UTF-8 CSV file."))
    if not {"question_code", "answer"} <= set(reader.fieldnames or ()):
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
    try:
        changed = qs.import_answers(session, cycle, country, result.values, current_user, today())
    except qs.QuestionnaireError as error:
        abort(error.status, str(error))
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
    return redirect(back)


@bp.post("/questionnaires/<cycle_code>/<iso3>/research")
@allow("gci.questionnaire.review")
def start_research(cycle_code: str, iso3: str):
    """Analysts fill this country's questionnaire from public sources from now on."""
    cycle, country, _framework = _load(cycle_code, iso3, "gci.questionnaire.read")
    if not ActionForm().validate_on_submit():
        abort(400)
    session = db.session()
    try:
        qs.start_research(session, cycle, country, current_user)
    except qs.QuestionnaireError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(
            _(
                "Secondary research started: analysts may now answer, citing a public source "
                "for every answer."
            ),
            "success",
        )
    return redirect(url_for("gci.questionnaire", cycle_code=cycle.code, iso3=country.iso3))
