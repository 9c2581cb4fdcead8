"""The scenario editor: server-rendered forms for the facts, objectives, injects and
responses of a scenario's draft. Every save stores the draft whole, shows the validation
problems of the node next to its form, and refuses a save based on an older revision (two
tabs, two trainers) with both versions shown."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from core import audit, db
from core.markup import render_markdown
from core.models import utcnow
from core.policy import allow
from scenarios import artifacts, branching, diff, editing, service
from scenarios.forms import (
    ArtifactUploadForm,
    FactsForm,
    InjectForm,
    ObjectiveForm,
    PublishForm,
    ResponseForm,
    TextArtifactForm,
)
from scenarios.views import _scenario_or_404, artifact_download, artifact_headers, bp


def _csv(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class FieldErrors(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors


def _number(form, name: str, errors: dict, required=False):
    raw = (getattr(form, name).data or "").strip().replace(",", ".")  # 0,5 as in fr/es/ru
    if not raw:
        if required:
            errors[name] = _("Give a number.")
        return None
    try:
        return float(raw)
    except ValueError:
        errors[name] = _("%(value)s is not a number.", value=raw)
        return None


def _autosave_reply(status: int, **body):
    response = jsonify(body)
    response.status_code = status
    return response


def _edit_page(slug, form, heading, build_change, path_prefix, anchor, autosave_url=None):
    """GET shows the form; POST stores the change as the draft or shows why not. With
    `autosave_url` (the node's edit address after a save, it may have a new id) the page
    saves itself while the trainer types; those requests get JSON back."""
    autosaving = autosave_url is not None and request.headers.get("X-Autosave") == "1"
    session = db.session()
    scenario = _scenario_or_404(slug)
    version = service.latest(session, scenario)
    stale_current = stored_values = None
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            change = build_change(form)
            saved = service.edit(
                session,
                scenario,
                change,
                expected=form.revision.data or None,
                actor=current_user,
            )
        except FieldErrors as invalid:
            if autosaving:
                return _autosave_reply(
                    400,
                    saved=False,
                    errors=invalid.errors,
                    message=_("Not saved yet: %(why)s", why=" ".join(invalid.errors.values())),
                )
            for name, message in invalid.errors.items():
                getattr(form, name).errors = [*getattr(form, name).errors, message]
            status = 400
        except editing.EditError as error:
            abort(404, str(error))
        except service.StaleDraft as stale:
            if autosaving:
                return _autosave_reply(
                    409,
                    saved=False,
                    message=_(
                        "Not saved: someone else saved this draft meanwhile. Press Save to see "
                        "both versions."
                    ),
                )
            stale_current = stale.current
            form.revision.data = service.token(stale.current)
            if path_prefix is not None:  # the node as it is stored now, beside the form
                stored_values = _node(stale.current.document, path_prefix)
            status = 409
        else:
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
    elif request.method == "POST":
        if autosaving:
            return _autosave_reply(
                400,
                saved=False,
                errors=form.errors,
                message=_(
                    "Not saved yet: %(why)s",
                    why=" ".join(m for messages in form.errors.values() for m in messages),
                ),
            )
        status = 400
    else:
        form.revision.data = service.token(version)
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
        stale=stale_current,
        stale_values=stored_values,
        autosave=autosave_url is not None,
    ), status


def _node(document: dict, path: tuple):
    node = document
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


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


def _index(items: list[dict], item_id: str) -> int:
    for n, item in enumerate(items):
        if item.get("id") == item_id:
            return n
    abort(404)


# --- scenario ------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@allow("scenarios.author")
def new():
    form = FactsForm(data={"duration_minutes": 120, "languages": "en"})
    status = 200
    if form.validate_on_submit():
        document = editing.new_document(
            (form.slug.data or "").strip(),
            form.title.data,
            form.summary.data,
            form.duration_minutes.data,
            form.difficulty.data,
            form.tlp.data,
        )
        editing.set_facts(document, _facts_values(form))
        session = db.session()
        try:
            version = service.create(session, document, current_user)
        except service.ScenarioRefused as error:
            form.slug.errors = [*form.slug.errors, *error.problems]
            status = 400
        else:
            session.commit()
            flash(_("Scenario created as a draft. Add objectives and injects."), "success")
            return redirect(url_for("scenarios.show", slug=version.document["id"]))
    elif request.method == "POST":
        status = 400
    return render_template(
        "scenarios/edit.html",
        form=form,
        heading=_("New scenario"),
        problems=[],
        by_field={},
        stale=None,
        scenario=None,
        version=None,
        stale_values=None,
    ), status


def _facts_values(form) -> dict:
    return {
        "title": form.title.data,
        "summary": form.summary.data,
        "audience": form.audience.data or "",
        "duration_minutes": form.duration_minutes.data,
        "difficulty": form.difficulty.data,
        "tlp": form.tlp.data,
        "tags": [t.lower() for t in _csv(form.tags.data)],
        "languages": _csv(form.languages.data) or ["en"],
    }


@bp.route("/<slug>/facts", methods=["GET", "POST"])
@allow("scenarios.author")
def edit_facts(slug: str):
    doc = service.latest(db.session(), _scenario_or_404(slug)).document
    form = FactsForm(
        data={
            **doc,
            "tags": ", ".join(doc.get("tags", [])),
            "languages": ", ".join(doc.get("languages", [])),
        }
    )
    del form.slug
    return _edit_page(
        slug,
        form,
        _("Scenario facts"),
        lambda f: lambda d: editing.set_facts(d, _facts_values(f)),
        (),
        lambda v: "",
        autosave_url=lambda f: url_for("scenarios.edit_facts", slug=slug),
    )


# --- objectives ----------------------------------------------------------------------------


def _objective_change(objective_id):
    def build(form):
        values = {
            "id": form.id.data.strip(),
            "text": form.text.data,
            "capability": form.capability.data,
            "gci_pillar": form.gci_pillar.data,
        }
        return lambda d: editing.put_objective(d, values, objective_id)

    return build


@bp.route("/<slug>/objectives/new", methods=["GET", "POST"])
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


@bp.route("/<slug>/objectives/<objective_id>", methods=["GET", "POST"])
@allow("scenarios.author")
def edit_objective(slug: str, objective_id: str):
    doc = service.latest(db.session(), _scenario_or_404(slug)).document
    n = _index(doc.get("objectives", []), objective_id)
    form = ObjectiveForm(data=doc["objectives"][n])
    return _edit_page(
        slug,
        form,
        _("Objective %(id)s", id=objective_id),
        _objective_change(objective_id),
        ("objectives", n),
        lambda v: "#objectives-heading",
        autosave_url=lambda f: url_for(
            "scenarios.edit_objective", slug=slug, objective_id=f.id.data.strip()
        ),
    )


# --- injects -------------------------------------------------------------------------------


def _inject_change(inject_id):
    def build(form):
        values = {
            "id": form.id.data.strip(),
            "offset_minutes": form.offset_minutes.data,
            "story_time": form.story_time.data or "",
            "title": form.title.data,
            "channel": form.channel.data,
            "sender": form.sender.data or "",
            "body": form.body.data or "",
            "objectives": _csv(form.objectives.data),
            "audience": {"tags": _csv(form.audience_tags.data)}
            if _csv(form.audience_tags.data)
            else "all",
            "condition": None,
        }
        if form.condition_is.data:
            values["condition"] = {
                "response": (form.condition_response.data or "").strip(),
                "is": form.condition_is.data,
            }
            if form.condition_minutes.data:
                values["condition"]["minutes"] = form.condition_minutes.data
        if values["condition"] is None and inject_id is None:
            values.pop("condition")
        return lambda d: editing.put_inject(d, values, inject_id)

    return build


def _at_inject(inject_id: str) -> str:
    """The end of a link to an inject on the scenario page, which shows a page of injects."""
    return f"?{urlencode({'inject': inject_id})}#inject-{inject_id}"


def _inject_anchor(inject_id_field):
    return lambda version: _at_inject(inject_id_field())


@bp.route("/<slug>/injects/new", methods=["GET", "POST"])
@allow("scenarios.author")
def new_inject(slug: str):
    form = InjectForm()
    return _edit_page(
        slug,
        form,
        _("New inject"),
        _inject_change(None),
        None,
        _inject_anchor(lambda: form.id.data),
    )


@bp.route("/<slug>/injects/<inject_id>", methods=["GET", "POST"])
@allow("scenarios.author")
def edit_inject(slug: str, inject_id: str):
    doc = service.latest(db.session(), _scenario_or_404(slug)).document
    n = _index(doc.get("injects", []), inject_id)
    current = doc["injects"][n]
    condition = current.get("condition") or {}
    audience = current.get("audience", "all")
    form = InjectForm(
        data={
            **current,
            "objectives": ", ".join(current.get("objectives", [])),
            "audience_tags": ", ".join(audience.get("tags", []))
            if isinstance(audience, dict)
            else "",
            "condition_response": condition.get("response", ""),
            "condition_is": condition.get("is", ""),
            "condition_minutes": condition.get("minutes"),
        }
    )
    return _edit_page(
        slug,
        form,
        _("Inject %(id)s", id=inject_id),
        _inject_change(inject_id),
        ("injects", n),
        _inject_anchor(lambda: form.id.data),
        autosave_url=lambda f: url_for(
            "scenarios.edit_inject", slug=slug, inject_id=f.id.data.strip()
        ),
    )


def _simple_post(slug: str, change, message: str, anchor: str = ""):
    if not PublishForm().validate_on_submit():
        abort(400)
    session = db.session()
    scenario = _scenario_or_404(slug)
    try:
        service.edit(session, scenario, change, actor=current_user)
    except editing.EditError as error:
        abort(404, str(error))
    session.commit()
    flash(message, "success")
    return redirect(url_for("scenarios.show", slug=slug) + anchor)


@bp.post("/<slug>/injects/<inject_id>/duplicate")
@allow("scenarios.author")
def duplicate_inject(slug: str, inject_id: str):
    return _simple_post(
        slug,
        lambda d: editing.duplicate_inject(d, inject_id),
        _("Inject %(id)s duplicated.", id=inject_id),
        _at_inject(inject_id),
    )


@bp.post("/<slug>/injects/<inject_id>/delete")
@allow("scenarios.author")
def delete_inject(slug: str, inject_id: str):
    return _simple_post(
        slug,
        lambda d: editing.delete_inject(d, inject_id),
        _("Inject %(id)s deleted.", id=inject_id),
        "#timeline-heading",
    )


@bp.post("/<slug>/objectives/<objective_id>/delete")
@allow("scenarios.author")
def delete_objective(slug: str, objective_id: str):
    return _simple_post(
        slug,
        lambda d: editing.delete_objective(d, objective_id),
        _("Objective %(id)s deleted.", id=objective_id),
        "#objectives-heading",
    )


# --- responses -----------------------------------------------------------------------------


def _response_change(inject_id, response_id):
    def build(form):
        errors: dict[str, str] = {}
        values: dict = {
            "id": form.id.data.strip(),
            "prompt": form.prompt.data,
            "type": form.type.data,
            "scoring": form.scoring.data,
            "points": _number(form, "points", errors, required=True),
            "objectives": _csv(form.objectives.data),
        }
        options = []
        for line in _lines(form.options.data):
            key, _sep, label = line.partition(":")
            options.append({"key": key.strip(), "label": label.strip() or key.strip()})
        if options:
            values["options"] = options
        answer = (form.answer.data or "").strip()
        if answer and values["scoring"] == "auto":
            if values["type"] == "multiple_choice":
                values["answer"] = _csv(answer)
            elif values["type"] == "number":
                values["answer"] = _number(form, "answer", errors)
            else:
                values["answer"] = answer
        if values["type"] == "exact":
            values["match"] = form.match.data
        if values["type"] == "number":
            values["tolerance"] = _number(form, "tolerance", errors) or 0.0
        criteria = _lines(form.criteria.data)
        if criteria:
            values["criteria"] = criteria
        decay = [
            _number(form, name, errors) for name in ("decay_full", "decay_zero", "decay_floor")
        ]
        if any(v is not None for v in decay):
            if any(v is None for v in decay):
                errors["decay_full"] = _("Give all three decay values, or none.")
            else:
                values["decay"] = dict(
                    zip(("full_minutes", "zero_minutes", "floor"), decay, strict=True)
                )
        hints = []
        for line in _lines(form.hints.data):
            cost, _sep, text = line.partition(":")
            try:
                hints.append({"text": text.strip(), "cost": float(cost)})
            except ValueError:
                errors["hints"] = _("Write each hint as cost: text, e.g. 2: Look at the log.")
        if hints:
            values["hints"] = hints
        if form.attempts.data and form.attempts.data > 1:
            values["attempts"] = form.attempts.data
        if errors:
            raise FieldErrors(errors)
        return lambda d: editing.put_response(d, inject_id, values, response_id)

    return build


def _response_form_data(response: dict) -> dict:
    answer = response.get("answer", "")
    decay = response.get("decay") or {}
    return {
        **response,
        "answer": ", ".join(answer)
        if isinstance(answer, list)
        else ("" if answer is None else str(answer)),
        "options": "\n".join(
            f"{o['key']}: {o.get('label', '')}" for o in response.get("options", [])
        ),
        "tolerance": str(response.get("tolerance", "")),
        "points": f"{response.get('points', '')}",
        "criteria": "\n".join(response.get("criteria", [])),
        "decay_full": str(decay.get("full_minutes", "")),
        "decay_zero": str(decay.get("zero_minutes", "")),
        "decay_floor": str(decay.get("floor", "")),
        "hints": "\n".join(f"{h['cost']:g}: {h['text']}" for h in response.get("hints", [])),
        "objectives": ", ".join(response.get("objectives", [])),
        "attempts": response.get("attempts", 1),
    }


@bp.route("/<slug>/injects/<inject_id>/responses/new", methods=["GET", "POST"])
@allow("scenarios.author")
def new_response(slug: str, inject_id: str):
    doc = service.latest(db.session(), _scenario_or_404(slug)).document
    _index(doc.get("injects", []), inject_id)
    return _edit_page(
        slug,
        ResponseForm(data={"points": "10"}),
        _("New response to %(id)s", id=inject_id),
        _response_change(inject_id, None),
        None,
        lambda v: _at_inject(inject_id),
    )


@bp.route("/<slug>/injects/<inject_id>/responses/<response_id>", methods=["GET", "POST"])
@allow("scenarios.author")
def edit_response(slug: str, inject_id: str, response_id: str):
    doc = service.latest(db.session(), _scenario_or_404(slug)).document
    n = _index(doc.get("injects", []), inject_id)
    responses = doc["injects"][n].get("responses", [])
    m = _index(responses, response_id)
    return _edit_page(
        slug,
        ResponseForm(data=_response_form_data(responses[m])),
        _("Response %(inject)s.%(id)s", inject=inject_id, id=response_id),
        _response_change(inject_id, response_id),
        ("injects", n, "responses", m),
        lambda v: _at_inject(inject_id),
        autosave_url=lambda f: url_for(
            "scenarios.edit_response", slug=slug, inject_id=inject_id, response_id=f.id.data.strip()
        ),
    )


@bp.post("/<slug>/injects/<inject_id>/responses/<response_id>/delete")
@allow("scenarios.author")
def delete_response(slug: str, inject_id: str, response_id: str):
    return _simple_post(
        slug,
        lambda d: editing.delete_response(d, inject_id, response_id),
        _("Response %(id)s deleted.", id=response_id),
        _at_inject(inject_id),
    )


# --- artifacts ----------------------------------------------------------------------------


def _upload_problem(data: bytes) -> str | None:
    if len(data) > artifacts.MAX_BINARY_BYTES:
        return _("The file is larger than %(mb)s MB.", mb=artifacts.MAX_BINARY_BYTES // 2**20)
    if artifacts.sniff(data) is None:
        return _(
            "This file is not a PNG or JPEG image, a pcap or pcapng capture or a PDF document "
            "(judged by its content, not by its name)."
        )
    return None


@bp.route("/<slug>/injects/<inject_id>/artifacts", methods=["GET", "POST"])
@allow("scenarios.author")
def inject_artifacts(slug: str, inject_id: str):
    """The artifacts of an inject: the list, and the upload of a binary one."""
    session = db.session()
    scenario = _scenario_or_404(slug)
    version = service.latest(session, scenario)
    _index(version.document.get("injects", []), inject_id)
    form = ArtifactUploadForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            upload = form.file.data
            data = upload.read(artifacts.MAX_BINARY_BYTES + 1)
            problem = _upload_problem(data)
            if problem:
                form.file.errors = [*form.file.errors, problem]
            else:
                media_type = artifacts.sniff(data)
                values = {
                    "name": (form.name.data or upload.filename or "artifact").strip()[:120],
                    "kind": artifacts.kind_of(media_type),
                    "media_type": media_type,
                    "encoding": "base64",
                    "content": artifacts.encode(data),
                }
                try:
                    service.edit(
                        session,
                        scenario,
                        lambda d: editing.add_artifact(d, inject_id, values),
                        expected=form.revision.data or None,
                        actor=current_user,
                    )
                except service.StaleDraft as stale:
                    version, status = stale.current, 409
                    form.file.errors = [
                        *form.file.errors,
                        _("Not saved: someone saved this draft meanwhile. Upload it again."),
                    ]
                else:
                    audit.record(
                        session,
                        "scenario.artifact_added",
                        actor=current_user,
                        obj_type="scenario",
                        obj_id=scenario.id,
                        inject=inject_id,
                        name=values["name"],
                        media_type=media_type,
                        bytes=len(data),
                    )
                    session.commit()
                    flash(
                        _("%(name)s added to %(id)s.", name=values["name"], id=inject_id), "success"
                    )
                    return redirect(request.path)
    form.revision.data = service.token(version)
    n = _index(version.document.get("injects", []), inject_id)
    read, problems = service.read_version(version)
    inject = read.inject(inject_id) if read is not None else None
    problems = [p for p in problems if p.path[:3] == ("injects", n, "artifacts")]
    return render_template(
        "scenarios/artifacts.html",
        scenario=scenario,
        version=version,
        inject_id=inject_id,
        items=inject.artifacts if inject is not None else (),
        problems=problems,
        form=form,
        delete_form=PublishForm(),
    ), status


@bp.get("/<slug>/injects/<inject_id>/artifacts/<int:number>/download")
@artifact_headers
@allow("scenarios.author")
def download_artifact(slug: str, inject_id: str, number: int):
    data, _problems = service.read_version(service.latest(db.session(), _scenario_or_404(slug)))
    inject = data.inject(inject_id) if data is not None else None
    if inject is None or not 0 <= number < len(inject.artifacts):
        abort(404)
    return artifact_download(inject.artifacts[number])


@bp.post("/<slug>/injects/<inject_id>/artifacts/<int:number>/delete")
@allow("scenarios.author")
def delete_artifact(slug: str, inject_id: str, number: int):
    if not PublishForm().validate_on_submit():
        abort(400)
    session = db.session()
    scenario = _scenario_or_404(slug)
    try:
        name = editing.artifact(service.latest(session, scenario).document, inject_id, number)
        service.edit(
            session,
            scenario,
            lambda d: editing.delete_artifact(d, inject_id, number),
            actor=current_user,
        )
    except editing.EditError as error:
        abort(404, str(error))
    audit.record(
        session,
        "scenario.artifact_deleted",
        actor=current_user,
        obj_type="scenario",
        obj_id=scenario.id,
        inject=inject_id,
        name=name.get("name"),
    )
    session.commit()
    flash(_("%(name)s deleted.", name=name.get("name")), "success")
    return redirect(url_for("scenarios.inject_artifacts", slug=slug, inject_id=inject_id))


def _text_artifact_change(inject_id: str, number: int | None):
    def build(form):
        values = {
            "name": form.name.data.strip(),
            "kind": form.kind.data,
            "media_type": "text/plain",
            "content": form.content.data,
        }
        if number is None:
            return lambda d: editing.add_artifact(d, inject_id, values)
        return lambda d: editing.put_artifact(d, inject_id, number, values)

    return build


@bp.route("/<slug>/injects/<inject_id>/artifacts/text", methods=["GET", "POST"])
@allow("scenarios.author")
def new_text_artifact(slug: str, inject_id: str):
    doc = service.latest(db.session(), _scenario_or_404(slug)).document
    _index(doc.get("injects", []), inject_id)
    return _edit_page(
        slug,
        TextArtifactForm(),
        _("New text artifact on %(id)s", id=inject_id),
        _text_artifact_change(inject_id, None),
        None,
        lambda v: _at_inject(inject_id),
    )


@bp.route("/<slug>/injects/<inject_id>/artifacts/<int:number>", methods=["GET", "POST"])
@allow("scenarios.author")
def edit_text_artifact(slug: str, inject_id: str, number: int):
    doc = service.latest(db.session(), _scenario_or_404(slug)).document
    n = _index(doc.get("injects", []), inject_id)
    try:
        current = editing.artifact(doc, inject_id, number)
    except editing.EditError:
        abort(404)
    if current.get("encoding", "text") != "text":
        abort(404)  # binary artifacts are replaced by uploading, not edited as text
    return _edit_page(
        slug,
        TextArtifactForm(data=current),
        _("Artifact %(name)s of %(id)s", name=current.get("name", ""), id=inject_id),
        _text_artifact_change(inject_id, number),
        ("injects", n, "artifacts", number),
        lambda v: _at_inject(inject_id),
    )


# --- versions ------------------------------------------------------------------------------


@bp.get("/<slug>/versions/<int:old>/diff/<int:new>")
@allow("scenarios.author")
def version_diff(slug: str, old: int, new: int):
    scenario = _scenario_or_404(slug)
    by_number = {v.number: v for v in service.versions(db.session(), scenario)}
    if old not in by_number or new not in by_number:
        abort(404)
    changes = diff.difference(by_number[old].document, by_number[new].document)
    return render_template(
        "scenarios/diff.html",
        scenario=scenario,
        old=by_number[old],
        new=by_number[new],
        changes=changes,
    )


# --- preview -------------------------------------------------------------------------------


@bp.get("/<slug>/preview")
@allow("scenarios.author")
def preview(slug: str):
    """The scenario as a team sees it at a drill minute: injects only, never the answers."""
    scenario = _scenario_or_404(slug)
    version = service.latest(db.session(), scenario)
    data, _problems = service.read_version(version)
    minute = max(0, min(request.args.get("minute", type=int) or 0, data.duration_minutes))
    tags = _csv(request.args.get("tags"))
    shown = branching.released(data, tags, {}, minute)  # a team that answered nothing yet
    return render_template(
        "scenarios/preview.html",
        scenario=scenario,
        data=data,
        minute=minute,
        tags=", ".join(tags),
        shown=shown,
        render_markdown=render_markdown,
    )
