"""The artifacts of an inject in the editor: the list, the upload of a binary one (judged
by its content, not its name), its download and deletion, and text artifacts edited in a
form like every other node. blueprint.py lists the routes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import audit, db
from core.policy import allow
from scenarios.authoring import editing, service
from scenarios.authoring.downloads import artifact_download, artifact_headers
from scenarios.authoring.editor import change_of, edit_inject_part, loaded
from scenarios.authoring.forms import ArtifactUploadForm, PublishForm, TextArtifactForm
from scenarios.format import artifacts


def _upload_problem(data: bytes) -> str | None:
    if len(data) > artifacts.MAX_BINARY_BYTES:
        return _("The file is larger than %(mb)s MB.", mb=artifacts.MAX_BINARY_BYTES // 2**20)
    if artifacts.sniff(data) is None:
        return _(
            "This file is not a PNG or JPEG image, a pcap or pcapng capture or a PDF document "
            "(judged by its content, not by its name)."
        )
    return None


def _upload(session, scenario, inject_id: str, form):
    """Store the uploaded file in the draft: None once stored, else the status of the page
    and the stored version to show when it is not the one loaded (a problem goes beside the
    file field)."""
    upload = form.file.data
    data = upload.read(artifacts.MAX_BINARY_BYTES + 1)
    problem = _upload_problem(data)
    if problem:
        form.file.errors = [*form.file.errors, problem]
        return 400, None
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
    except service.StaleDraft as stale:  # shown beside the file field
        form.file.errors = [
            *form.file.errors,
            _("Not saved: someone saved this draft meanwhile. Upload it again."),
        ]
        return 409, stale.current
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
    flash(_("%(name)s added to %(id)s.", name=values["name"], id=inject_id), "success")
    return None


@allow("scenarios.author")
def inject_artifacts(slug: str, inject_id: str):
    """The artifacts of an inject: the list, and the upload of a binary one."""
    session = db.session()
    scenario = service.find(session, slug)
    version = service.latest(session, scenario)
    editing.index_of(version.document.get("injects", []), inject_id, "inject")
    form = ArtifactUploadForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            refused = _upload(session, scenario, inject_id, form)
            if refused is None:
                return redirect(request.path)
            status, version = refused[0], refused[1] or version
    form.revision.data = service.token(version)
    n = editing.index_of(version.document.get("injects", []), inject_id, "inject")
    read, problems = service.read_version(version)
    inject = read.inject(inject_id) if read is not None else None
    return render_template(
        "scenarios/artifacts.html",
        scenario=scenario,
        version=version,
        inject_id=inject_id,
        items=inject.artifacts if inject is not None else (),
        problems=[p for p in problems if p.path[:3] == ("injects", n, "artifacts")],
        form=form,
        delete_form=PublishForm(),
    ), status


@artifact_headers
@allow("scenarios.author")
def download_artifact(slug: str, inject_id: str, number: int):
    session = db.session()
    data, _problems = service.read_version(service.latest(session, service.find(session, slug)))
    inject = data.inject(inject_id) if data is not None else None
    if inject is None or not 0 <= number < len(inject.artifacts):
        abort(404)
    return artifact_download(inject.artifacts[number])


@allow("scenarios.author")
def delete_artifact(slug: str, inject_id: str, number: int):
    if not PublishForm().validate_on_submit():
        abort(400)
    session = db.session()
    scenario = service.find(session, slug)
    name = editing.artifact(service.latest(session, scenario).document, inject_id, number)
    service.edit(
        session,
        scenario,
        lambda d: editing.delete_artifact(d, inject_id, number),
        actor=current_user,
    )
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
    def put(d, values):
        if number is None:
            return editing.add_artifact(d, inject_id, values)
        return editing.put_artifact(d, inject_id, number, values)

    return change_of(editing.text_artifact_values, put)


@allow("scenarios.author")
def new_text_artifact(slug: str, inject_id: str):
    loaded(slug, inject_id)
    return edit_inject_part(
        slug,
        inject_id,
        TextArtifactForm(),
        _("New text artifact on %(id)s", id=inject_id),
        _text_artifact_change(inject_id, None),
        None,
    )


@allow("scenarios.author")
def edit_text_artifact(slug: str, inject_id: str, number: int):
    doc, n = loaded(slug, inject_id)
    current = editing.artifact(doc, inject_id, number)
    if current.get("encoding", "text") != "text":
        abort(404)  # binary artifacts are replaced by uploading, not edited as text
    return edit_inject_part(
        slug,
        inject_id,
        TextArtifactForm(data=current),
        _("Artifact %(name)s of %(id)s", name=current.get("name", ""), id=inject_id),
        _text_artifact_change(inject_id, number),
        ("injects", n, "artifacts", number),
    )
