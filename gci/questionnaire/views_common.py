"""What the questionnaire's pages share: load a questionnaire and refuse whoever may not
`action` it (a focal point who asks for another country's questionnaire gets 404, not 403:
they do not learn whether it exists), the labels of states, moves and comments, and the
context every questionnaire page renders with."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import select

from core import db
from core.models import User, utcnow
from gci.framework import answer_types
from gci.questionnaire import reading, rules, workflow
from gci.questionnaire.forms import ImportForm, MoveForm
from gci.results.labels import PLACEHOLDER_NOTICE

ANSWER_LABELS = {"yes": _l("Yes"), "no": _l("No"), "partial": _l("Partly")}
STATE_LABELS = reading.STATE_LABELS
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


def today():
    return utcnow().date()


def load(cycle_code: str, iso3: str, action: str):
    """The cycle, country and framework of a questionnaire the current user may `action`."""
    cycle, country, _found, framework = load_all(cycle_code, iso3, action)
    return cycle, country, framework


def load_all(cycle_code: str, iso3: str, action: str) -> reading.Found:
    """`load`, and the questionnaire (None before its first answer), read in one query."""
    found = reading.lookup(db.session(), cycle_code, iso3)
    refused = reading.refusal(current_user, found, action)
    if refused:
        abort(refused)
    if found.framework is None:
        abort(404, _("%(cycle)s has no framework yet.", cycle=found.cycle.name))
    return found


def context(cycle, country, framework) -> dict:
    """What every page of one questionnaire renders with."""
    session = db.session()
    found = reading.questionnaire(session, cycle, country)
    state = reading.state_of(found)
    rows = reading.answers(session, cycle, country)
    values = reading.values_of(rows)
    research = reading.in_research(found)
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
        "progress_text": reading.progress_text,
        "whatif": reading.whatif_summary(cycle, framework, values),
        "answerable": reading.answerable(current_user, cycle, country, found, today()),
        "research": research,
        "window_open": reading.window_open(cycle, today()),
        "moves": moves(state, research),
        "move_form": MoveForm(),
        "import_form": ImportForm(),
        "action_labels": ACTION_LABELS,
        "answer_types": answer_types.TYPES,
        "placeholder_notice": PLACEHOLDER_NOTICE if framework.placeholder_weights else None,
    }


def names(session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {u.id: u.name for u in session.exec(select(User).where(User.id.in_(user_ids)))}


def moves(state: str, research: bool) -> list[str]:
    """The workflow moves the current user may make from `state`."""
    possible = [m.action for m in workflow.moves_from(state, current_user.role)]
    return [a for a in possible if a != "submit_research" or research]


def evidence_folder() -> Path:
    return Path(current_app.config["EVIDENCE_DIR"])


def back_to(cycle, country, framework, code: str):
    """Back to the question on its pillar's page."""
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


def to_questionnaire(cycle, country):
    return redirect(url_for("gci.questionnaire", cycle_code=cycle.code, iso3=country.iso3))
