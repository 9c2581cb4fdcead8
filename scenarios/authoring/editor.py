"""The scenario editor: server-rendered forms for the facts, objectives, injects and
responses of a scenario's draft. Every save stores the draft whole, shows the validation
problems of the node next to its form, and refuses a save based on an older revision (two
tabs, two trainers) with both versions shown. Pages that support it also save themselves
while the trainer types (`X-Autosave: 1`), and get JSON back. The artifact pages are in
artifact_views.py; blueprint.py lists the routes."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from core import db
from core.models import utcnow
from core.policy import allow
from scenarios.authoring import editing, service
from scenarios.authoring.forms import (
    FactsForm,
    InjectForm,
    ObjectiveForm,
    PublishForm,
    ResponseForm,
)
from scenarios.format.writer import new_document

# Where a problem's place in the document is shown in the form, when the names differ.
FORM_FIELDS = {
    ("decay", "full_minutes"): "decay_full",
    ("decay", "zero_minutes"): "decay_zero",
    ("decay", "floor"): "decay_floor",
    ("condition", "response"): "condition_response",
    ("condition", "is"): "condition_is",
    ("condition", "minutes"): "condition_minutes",
    ("audience",): "audience_tags",
}


def field_messages(errors: dict[str, tuple[str, dict]]) -> dict[str, str]:
    """FieldErrors' message templates in the reader's language."""
    return {name: _(message, **params) for name, (message, params) in errors.items()}


def _autosave_reply(status: int, **body):
    response = jsonify(body)
    response.status_code = status
    return response


def _not_saved_yet(errors: dict[str, str] | dict[str, list[str]], why: str):
    return _autosave_reply(
        400, saved=False, errors=errors, message=_("Not saved yet: %(why)s", why=why)
    )


def loaded(slug: str, inject_id: str | None = None) -> tuple[dict, int | None]:
    """The newest version's document of the scenario, and the position of the inject named
    (EditError, 404, when there is none): what every page that edits a node starts with."""
    session = db.session()
    doc = service.latest(session, service.find(session, slug)).document
    if inject_id is None:
        return doc, None
    return doc, editing.index_of(doc.get("injects", []), inject_id, "inject")


def _edit_page(slug, form, heading, build_change, path_prefix, anchor, autosave_url=None):
    """GET shows the form; POST stores the change as the draft or shows why not. With
    `autosave_url` (the node's edit address after a save, it may have a new id) the page
    saves itself while the trainer types; those requests get JSON back."""
    autosaving = autosave_url is not None and request.headers.get("X-Autosave") == "1"
    session = db.session()
    scenario = service.find(session, slug)
    version = service.latest(session, scenario)
    page = dict(scenario=scenario, version=version, form=form, heading=heading,
                path_prefix=path_prefix, autosave=autosave_url is not None)  # fmt: skip
    if request.method != "POST":
        form.revision.data = service.token(version)
        return _render_edit(**page)
    if not form.validate_on_submit():
        if autosaving:
            why = " ".join(m for messages in form.errors.values() for m in messages)
            return _not_saved_yet(form.errors, why)
        return _render_edit(**page, status=400)
    try:
        change = build_change(form)
        saved = service.edit(
            session, scenario, change, expected=form.revision.data or None, actor=current_user
        )
    except editing.FieldErrors as invalid:
        messages = field_messages(invalid.errors)
        if autosaving:
            return _not_saved_yet(messages, " ".join(messages.values()))
        for name, message in messages.items():
            getattr(form, name).errors = [*getattr(form, name).errors, message]
        return _render_edit(**page, status=400)
    except service.StaleDraft as stale:
        if autosaving:
            message = _(
                "Not saved: someone else saved this draft meanwhile. Press Save to see "
                "both versions."
            )
            return _autosave_reply(409, saved=False, message=message)
        form.revision.data = service.token(stale.current)
        # the node as it is stored now, beside the form
        stored = _node(stale.current.document, path_prefix) if path_prefix is not None else None
        return _render_edit(**page, stale=stale.current, stale_values=stored, status=409)
    session.commit()
    if autosaving:
        return _autosave_reply(
            200,
            saved=True,
            revision=service.token(saved),
            action=autosave_url(form),
            message=_("Draft saved at %(time)s.", time=format_time(utcnow(), "short")),
        )
    flash(_("Saved in the draft (version %(n)s).", n=saved.number), "success")
    return redirect(url_for("scenarios.show", slug=slug) + anchor(saved))


def change_of(values_of, put):
    """What `_edit_page` stores for a valid form: `values_of(form.data)` (FieldErrors before
    anything is stored), then the change `put(document, values)`."""

    def build(form):
        values = values_of(form.data)
        return lambda d: put(d, values)

    return build


def _render_edit(*, scenario, version, form, heading, path_prefix, autosave,
                 stale=None, stale_values=None, status=200):  # fmt: skip
    """The edit page, with the stored version's problems of this node beside its fields."""
    problems = (
        [p for p in service.problems_of(version) if p.path[: len(path_prefix)] == path_prefix]
        if path_prefix is not None
        else []
    )
    by_field: dict[str, list[str]] = {}
    for p in problems:
        rest = p.path[len(path_prefix or ()) :]
        if rest:
            name = FORM_FIELDS.get(tuple(rest[:2]), FORM_FIELDS.get(rest[:1], str(rest[0])))
            by_field.setdefault(name, []).append(p.message)
    return render_template(
        "scenarios/edit.html",
        scenario=scenario,
        version=version,
        form=form,
        heading=heading,
        problems=problems,
        by_field=by_field,
        stale=stale,
        stale_values=stale_values,
        autosave=autosave,
    ), status


def _node(document: dict, path: tuple):
    node = document
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def at_inject(inject_id: str) -> str:
    """The end of a link to an inject on the scenario page, which shows a page of injects."""
    return f"?{urlencode({'inject': inject_id})}#inject-{inject_id}"


def simple_post(slug: str, change, message: str, anchor: str = ""):
    """A button that changes the draft at once (duplicate, delete), then back to the page."""
    if not PublishForm().validate_on_submit():
        abort(400)
    session = db.session()
    service.edit(session, service.find(session, slug), change, actor=current_user)
    session.commit()
    flash(message, "success")
    return redirect(url_for("scenarios.show", slug=slug) + anchor)


# --- scenario ------------------------------------------------------------------------------


@allow("scenarios.author")
def new():
    form = FactsForm(data={"duration_minutes": 120, "languages": "en"})
    status = 200
    if form.validate_on_submit():
        document = new_document(
            (form.slug.data or "").strip(),
            form.title.data,
            form.summary.data,
            form.duration_minutes.data,
            form.difficulty.data,
            form.tlp.data,
        )
        editing.set_facts(document, editing.facts_values(form.data))
        session = db.session()
        try:
            version = service.create(session, document, current_user)
        except service.ScenarioRefused as error:  # shown beside the id field
            form.slug.errors = [*form.slug.errors, *error.problems]
            status = 400
        else:
            session.commit()
            flash(_("Scenario created as a draft. Add objectives and injects."), "success")
            return redirect(url_for("scenarios.show", slug=version.document["id"]))
    elif request.method == "POST":
        status = 400
    return _render_edit(scenario=None, version=None, form=form, heading=_("New scenario"),
                        path_prefix=None, autosave=False, status=status)  # fmt: skip


@allow("scenarios.author")
def edit_facts(slug: str):
    doc, _n = loaded(slug)
    form = FactsForm(data=editing.facts_form_data(doc))
    del form.slug
    return _edit_page(
        slug,
        form,
        _("Scenario facts"),
        change_of(editing.facts_values, editing.set_facts),
        (),
        lambda v: "",
        autosave_url=lambda f: url_for("scenarios.edit_facts", slug=slug),
    )


# --- objectives ----------------------------------------------------------------------------


def _objective_change(objective_id):
    return change_of(
        editing.objective_values, lambda d, v: editing.put_objective(d, v, objective_id)
    )


@allow("scenarios.author")
def new_objective(slug: str):
    return _edit_page(
        slug,
        ObjectiveForm(),
        _("New objective"),
        _objective_change(None),
        None,
        lambda v: "#objectives-heading",
    )


@allow("scenarios.author")
def edit_objective(slug: str, objective_id: str):
    doc, _n = loaded(slug)
    n = editing.index_of(doc.get("objectives", []), objective_id, "objective")
    return _edit_page(
        slug,
        ObjectiveForm(data=doc["objectives"][n]),
        _("Objective %(id)s", id=objective_id),
        _objective_change(objective_id),
        ("objectives", n),
        lambda v: "#objectives-heading",
        autosave_url=lambda f: url_for(
            "scenarios.edit_objective", slug=slug, objective_id=f.id.data.strip()
        ),
    )


@allow("scenarios.author")
def delete_objective(slug: str, objective_id: str):
    return simple_post(
        slug,
        lambda d: editing.delete_objective(d, objective_id),
        _("Objective %(id)s deleted.", id=objective_id),
        "#objectives-heading",
    )


# --- injects -------------------------------------------------------------------------------


def _inject_change(inject_id):
    return change_of(
        lambda data: editing.inject_values(data, new=inject_id is None),
        lambda d, v: editing.put_inject(d, v, inject_id),
    )


@allow("scenarios.author")
def new_inject(slug: str):
    form = InjectForm()
    return _edit_page(
        slug,
        form,
        _("New inject"),
        _inject_change(None),
        None,
        lambda v: at_inject(form.id.data),
    )


@allow("scenarios.author")
def edit_inject(slug: str, inject_id: str):
    doc, n = loaded(slug, inject_id)
    form = InjectForm(data=editing.inject_form_data(doc["injects"][n]))
    return _edit_page(
        slug,
        form,
        _("Inject %(id)s", id=inject_id),
        _inject_change(inject_id),
        ("injects", n),
        lambda v: at_inject(form.id.data),
        autosave_url=lambda f: url_for(
            "scenarios.edit_inject", slug=slug, inject_id=f.id.data.strip()
        ),
    )


@allow("scenarios.author")
def duplicate_inject(slug: str, inject_id: str):
    return simple_post(
        slug,
        lambda d: editing.duplicate_inject(d, inject_id),
        _("Inject %(id)s duplicated.", id=inject_id),
        at_inject(inject_id),
    )


@allow("scenarios.author")
def delete_inject(slug: str, inject_id: str):
    return simple_post(
        slug,
        lambda d: editing.delete_inject(d, inject_id),
        _("Inject %(id)s deleted.", id=inject_id),
        "#timeline-heading",
    )


# --- responses and text artifacts: the parts of an inject -----------------------------------


def edit_inject_part(slug, inject_id, form, heading, change, path, autosave_url=None):
    """The edit page of a node inside an inject; after a save, back to the inject."""
    return _edit_page(
        slug, form, heading, change, path, lambda v: at_inject(inject_id), autosave_url
    )


def _response_change(inject_id, response_id):
    return change_of(
        editing.response_values, lambda d, v: editing.put_response(d, inject_id, v, response_id)
    )


@allow("scenarios.author")
def new_response(slug: str, inject_id: str):
    loaded(slug, inject_id)
    return edit_inject_part(
        slug,
        inject_id,
        ResponseForm(data={"points": "10"}),
        _("New response to %(id)s", id=inject_id),
        _response_change(inject_id, None),
        None,
    )


@allow("scenarios.author")
def edit_response(slug: str, inject_id: str, response_id: str):
    doc, n = loaded(slug, inject_id)
    responses = doc["injects"][n].get("responses", [])
    m = editing.index_of(responses, response_id, "response")
    return edit_inject_part(
        slug,
        inject_id,
        ResponseForm(data=editing.response_form_data(responses[m])),
        _("Response %(inject)s.%(id)s", inject=inject_id, id=response_id),
        _response_change(inject_id, response_id),
        ("injects", n, "responses", m),
        autosave_url=lambda f: url_for(
            "scenarios.edit_response", slug=slug, inject_id=inject_id, response_id=f.id.data.strip()
        ),
    )


@allow("scenarios.author")
def delete_response(slug: str, inject_id: str, response_id: str):
    return simple_post(
        slug,
        lambda d: editing.delete_response(d, inject_id, response_id),
        _("Response %(id)s deleted.", id=response_id),
        at_inject(inject_id),
    )
