"""The analyst's pages: the queue of questionnaires waiting for review, the review of one
answer (accept, ask, correct with a reason) and the start of secondary research for a
country that did not answer. Routes are listed in gci/blueprint.py."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user

from core import db
from core.policy import allow
from gci.forms import ActionForm
from gci.questionnaire import moves, review
from gci.questionnaire.errors import QuestionnaireError
from gci.questionnaire.forms import ReviewForm
from gci.questionnaire.views_common import STATE_LABELS, back_to, load, to_questionnaire


@allow("gci.questionnaire.review")
def review_queue():
    return render_template(
        "gci/questionnaire/queue.html",
        rows=review.review_queue(db.session()),
        state_labels=STATE_LABELS,
    )


@allow("gci.questionnaire.review")
def review_answer(cycle_code: str, iso3: str, question_code: str):
    """Accept an answer, ask about it, or correct it with a reason."""
    cycle, country, framework = load(cycle_code, iso3, "gci.questionnaire.read")
    question = framework.questions.get(question_code) or abort(404)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    decision = form.decision.data
    try:
        if decision == "accept":
            review.accept(session, cycle, country, question_code, current_user)
            message = _("%(code)s accepted.", code=question_code)
        elif decision == "clarify":
            review.ask(session, cycle, country, question_code, form.comment.data, current_user)
            message = _(
                "Question about %(code)s noted; send the questionnaire back for clarification "
                "when the review is done.",
                code=question_code,
            )
        else:
            try:  # typed as text: read as its answer type reads it (a CSV cell's rules)
                value = question.kind.from_correction(question, form.value.data)
            except ValueError:
                abort(422, _("Give the corrected answer as a number."))
            review.correct(
                session, cycle, country, question_code, value, form.comment.data, current_user
            )
            message = _("%(code)s corrected; the focal point sees why.", code=question_code)
    except QuestionnaireError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(message, "success")
    return back_to(cycle, country, framework, question_code)


@allow("gci.questionnaire.review")
def start_research(cycle_code: str, iso3: str):
    """Analysts fill this country's questionnaire from public sources from now on."""
    cycle, country, _framework = load(cycle_code, iso3, "gci.questionnaire.read")
    if not ActionForm().validate_on_submit():
        abort(400)
    session = db.session()
    try:
        moves.start_research(session, cycle, country, current_user)
    except QuestionnaireError as error:
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
    return to_questionnaire(cycle, country)
