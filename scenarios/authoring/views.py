"""Scenario pages for trainers and admins: the library with filters, a scenario's timeline
with its injects, responses and validation, import and export, publishing, clones, the
difference between two versions, and the preview of what a team sees at a drill minute.
The editor's pages are in editor.py and artifact_views.py; blueprint.py lists the routes."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import db
from core.markup import render_markdown
from core.policy import allow
from scenarios.authoring import diff, service
from scenarios.authoring.editing import csv_list
from scenarios.authoring.forms import ImportForm, PublishForm
from scenarios.format import model
from scenarios.play import branching


@allow("scenarios.author")
def index():
    filters = {
        key: request.args.get(key, "").strip()
        for key in ("q", "tag", "capability", "pillar", "language")
    }
    max_minutes = request.args.get("max_minutes", type=int)
    entries = service.library(db.session(), max_minutes=max_minutes, **filters)
    all_tags = sorted({t for e in service.library(db.session()) for t in e.data.tags})
    return render_template(
        "scenarios/index.html",
        entries=entries,
        filters=filters,
        max_minutes=max_minutes,
        all_tags=all_tags,
        capabilities=model.CAPABILITIES,
        pillars=model.PILLARS,
        languages=model.LANGUAGES,
        form=ImportForm(),
    )


# The scenario page shows its injects a page at a time: a 500-inject scenario in full would
# be megabytes of HTML (bench/scenario_bench.py).
INJECTS_PER_PAGE = 25


def inject_page(injects: list, page: int | None, wanted: str | None) -> tuple[int, int]:
    """The page to show (1-based) and the number of pages; `wanted` (an inject id) picks the
    page that holds it, so a link after an edit lands next to the inject."""
    pages = max(1, -(-len(injects) // INJECTS_PER_PAGE))
    if wanted is not None:
        for n, inject in enumerate(injects):
            if inject.id == wanted:
                return n // INJECTS_PER_PAGE + 1, pages
    return min(max(page or 1, 1), pages), pages


@allow("scenarios.author")
def show(slug: str):
    scenario = service.find(db.session(), slug)
    version = service.latest(db.session(), scenario)
    data, problems = service.read_version(version)
    injects = sorted(data.injects, key=lambda i: i.offset_minutes)
    page, pages = inject_page(
        injects, request.args.get("page", type=int), request.args.get("inject")
    )
    first = (page - 1) * INJECTS_PER_PAGE
    return render_template(
        "scenarios/show.html",
        page=page,
        pages=pages,
        first=first,
        page_injects=injects[first : first + INJECTS_PER_PAGE],
        scenario=scenario,
        version=version,
        data=data,
        problems=problems,
        problems_by_inject=_problems_by_inject(version.document, problems),
        render_markdown=render_markdown,
        versions=service.versions(db.session(), scenario),
        publish_form=PublishForm(),
    )


def _problems_by_inject(document: dict, problems) -> dict[str, list]:
    """Problems grouped by the inject they concern, to show them next to it."""
    injects = document.get("injects")
    injects = injects if isinstance(injects, list) else []
    grouped: dict[str, list] = {}
    for problem in problems:
        index = (
            problem.path[1] if problem.path[:1] == ("injects",) and len(problem.path) > 1 else None
        )
        if isinstance(index, int) and index < len(injects) and isinstance(injects[index], dict):
            grouped.setdefault(str(injects[index].get("id", "")), []).append(problem)
    return grouped


@allow("scenarios.author")
def publish(slug: str):
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    try:
        version = service.publish_draft(session, service.find(session, slug), current_user)
    except service.ScenarioRefused as error:
        flash(_("Not published: %(why)s", why="; ".join(error.problems)), "error")
    else:
        session.commit()
        flash(_("Version %(n)s is published; drills can use it.", n=version.number), "success")
    return redirect(url_for("scenarios.show", slug=slug))


@allow("scenarios.author")
def export(slug: str, fmt: str):
    if fmt not in ("yaml", "json"):
        abort(404)
    version = service.latest(db.session(), service.find(db.session(), slug))
    mimetype = "application/json" if fmt == "json" else "application/yaml"
    return Response(
        service.export_text(version, fmt),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{slug}-v{version.number}.{fmt}"'},
    )


@allow("scenarios.author")
def import_file():
    form = ImportForm()
    if not form.validate_on_submit():
        flash(_("Choose a YAML or JSON scenario file."), "error")
        return redirect(url_for("scenarios.index"))
    raw = form.file.data.read(service.MAX_FILE_BYTES + 1)
    session = db.session()
    try:
        text = raw.decode("utf-8")
        version = service.import_text(session, text, as_new=form.as_new.data, actor=current_user)
    except UnicodeDecodeError:
        problems = [_("the file is not UTF-8 text")]
    except service.ScenarioRefused as error:
        problems = error.problems
    else:
        session.commit()
        scenario = session.get(service.Scenario, version.scenario_id)
        flash(
            _("Imported as %(slug)s, version %(n)s (draft).", slug=scenario.slug, n=version.number),
            "success",
        )
        return redirect(url_for("scenarios.show", slug=scenario.slug))
    return render_template("scenarios/import_refused.html", problems=problems), 422


@allow("scenarios.author")
def clone(slug: str):
    if not PublishForm().validate_on_submit():
        abort(400)
    session = db.session()
    source = service.find(session, slug)
    title = service.latest(session, source).document.get("title", source.slug)
    version = service.clone(
        session, source, _("Copy of %(title)s", title=title), actor=current_user
    )
    session.commit()
    flash(_("Cloned as a new scenario with its own history (a draft)."), "success")
    return redirect(url_for("scenarios.show", slug=version.document["id"]))


# --- versions ------------------------------------------------------------------------------


@allow("scenarios.author")
def version_diff(slug: str, old: int, new: int):
    scenario = service.find(db.session(), slug)
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


@allow("scenarios.author")
def preview(slug: str):
    """The scenario as a team sees it at a drill minute: injects only, never the answers."""
    scenario = service.find(db.session(), slug)
    version = service.latest(db.session(), scenario)
    data, _problems = service.read_version(version)
    minute = max(0, min(request.args.get("minute", type=int) or 0, data.duration_minutes))
    tags = csv_list(request.args.get("tags"))
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
