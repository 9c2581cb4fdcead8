"""The focal point's questionnaire pages (and the analysts', while they do secondary
research): the overview, pillar pages whose answers save themselves through a JSON endpoint,
the completeness check and the workflow moves, one question's history, and the reply to an
analyst's question. Routes are listed in gci/blueprint.py."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import db
from core.models import Country, Role
from core.policy import allow, can
from gci.forms import ActionForm
from gci.questionnaire import answers, moves, reading, review, rules, workflow
from gci.questionnaire.errors import Incomplete, QuestionnaireError
from gci.questionnaire.filetypes import ACCEPTED
from gci.questionnaire.forms import EvidenceForm, MoveForm, ReplyForm, ReviewForm
from gci.questionnaire.views_common import (
    ACTION_LABELS,
    ANSWER_LABELS,
    STATE_LABELS,
    back_to,
    context,
    load,
    load_all,
    names,
    to_questionnaire,
    today,
)

COMMENT_LABELS = {
    "clarification": _l("Analyst asks"),
    "reply": _l("Focal point replies"),
    "correction": _l("Analyst corrected the answer"),
    "accepted": _l("Analyst accepted the answer"),
}
ACCEPT_ATTRIBUTE = ",".join(
    [".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".png", ".jpg", ".jpeg"]
)


@allow("gci.questionnaire.mine")
def my_questionnaire():
    session = db.session()
    cycles = reading.open_cycles(session, today())
    country = session.get(Country, current_user.country_id) if current_user.country_id else None
    if country is None:
        abort(404)
    if len(cycles) == 1:
        return redirect(url_for("gci.questionnaire", cycle_code=cycles[0].code, iso3=country.iso3))
    return render_template("gci/questionnaire/mine.html", cycles=cycles, country=country)


@allow("gci.questionnaire.read")
def questionnaire(cycle_code: str, iso3: str):
    cycle, country, framework = load(cycle_code, iso3, "gci.questionnaire.read")
    page = context(cycle, country, framework)
    asked = None
    if page["state"] == "clarification_requested":
        asked = review.clarification(db.session(), cycle, country)
    return render_template("gci/questionnaire/overview.html", clarification=asked, **page)


@allow("gci.questionnaire.read")
def questionnaire_pillar(cycle_code: str, iso3: str, pillar_code: str):
    cycle, country, framework = load(cycle_code, iso3, "gci.questionnaire.read")
    pillar = next((p for p in framework.pillars if p.code == pillar_code), None)
    if pillar is None:
        abort(404)
    page = context(cycle, country, framework)
    session = db.session()
    thread = review.comments(session, cycle, country)
    authors = {c.author_id for items in thread.values() for c in items if c.author_id}
    staff = can(current_user, "gci.questionnaire.review")
    return render_template(
        "gci/questionnaire/pillar.html",
        pillar=pillar,
        comments=thread,
        names=names(session, authors),
        comment_labels=COMMENT_LABELS,
        reviewing=staff and page["state"] == "in_review",
        replying=current_user.role == Role.focal_point
        and page["state"] == "clarification_requested",
        review_form=ReviewForm(),
        reply_form=ReplyForm(),
        indicators=list(rules.leaf_indicators(pillar.indicators)),
        evidence=reading.evidence(db.session(), cycle, country),
        evidence_form=EvidenceForm(),
        action_form=ActionForm(),
        answer_labels=ANSWER_LABELS,
        accept=ACCEPT_ATTRIBUTE,
        accepted_kinds=ACCEPTED,
        max_mb=current_app.config["UPLOAD_MAX_MB"],
        **page,
    )


@allow("gci.questionnaire.answer")
def save_answer(cycle_code: str, iso3: str, question_code: str):
    """Save one answer (JSON {"value", "version"}): answers.autosave. Most saves are
    answered before Flask, by gci/autosave.py, through the same use case."""
    found = load_all(cycle_code, iso3, "gci.questionnaire.answer")
    status, body = answers.autosave(
        db.session(), current_user, found, question_code, request.get_json(silent=True), today()
    )
    response = jsonify(body)
    response.status_code = status
    return response


@allow("gci.questionnaire.read")
def questionnaire_check(cycle_code: str, iso3: str):
    cycle, country, framework = load(cycle_code, iso3, "gci.questionnaire.read")
    gaps = moves.missing(db.session(), cycle, country)
    return render_template(
        "gci/questionnaire/check.html", missing=gaps, **context(cycle, country, framework)
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


@allow("gci.questionnaire.move")
def move_questionnaire(cycle_code: str, iso3: str):
    cycle, country, _framework = load(cycle_code, iso3, "gci.questionnaire.move")
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    action = form.action.data
    if action == "publish":  # only publishing the cycle's results publishes a questionnaire
        flash(_("Questionnaires are published with the cycle's results, on the cycle page."),
              "error")  # fmt: skip
        return to_questionnaire(cycle, country)
    session = db.session()
    try:
        moves.move(session, cycle, country, action, current_user, form.comment.data or "", today())
    except workflow.WorkflowError as error:
        flash(workflow_message(error), "error")
    except Incomplete as error:
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
    except QuestionnaireError as error:  # closed cycle, research not started
        flash(str(error), "error")
    else:
        session.commit()
        flash(
            _(
                "Done: the questionnaire is now %(state)s.",
                state=STATE_LABELS[
                    reading.state_of(reading.questionnaire(session, cycle, country))
                ],
            ),
            "success",
        )
    return to_questionnaire(cycle, country)


@allow("gci.questionnaire.read")
def question_history(cycle_code: str, iso3: str, question_code: str):
    cycle, country, framework = load(cycle_code, iso3, "gci.questionnaire.read")
    question = framework.questions.get(question_code) or abort(404)
    session = db.session()
    events = reading.history(session, cycle, country, question_code)
    return render_template(
        "gci/questionnaire/history.html",
        cycle=cycle,
        country=country,
        question=question,
        events=events,
        names=names(session, {e.actor_id for e in events if e.actor_id}),
        pillar=framework.pillar_of[question_code],
    )


@allow("gci.questionnaire.answer")
def reply_to_review(cycle_code: str, iso3: str, question_code: str):
    cycle, country, framework = load(cycle_code, iso3, "gci.questionnaire.answer")
    if question_code not in framework.questions:
        abort(404)
    if current_user.role != Role.focal_point:
        abort(403, _("The country's focal point replies to the analysts' questions."))
    form = ReplyForm()
    if not form.validate_on_submit():
        flash(_("Write your reply first."), "error")
        return back_to(cycle, country, framework, question_code)
    session = db.session()
    try:
        review.reply(session, cycle, country, question_code, form.comment.data, current_user)
    except QuestionnaireError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("Reply sent."), "success")
    return back_to(cycle, country, framework, question_code)
