"""Scenario JSON API: library, documents, validation, import, export, drafts, publishing,
clones and the MSEL import. A flask-smorest blueprint: its routes stay decorator-based here,
where the decorators carry the schemas. Domain errors (ScenarioRefused 422, ScenarioNotFound
404) propagate to core/errors' problem+json handler."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from core import db
from core.policy import allow
from scenarios.authoring import service
from scenarios.format import model, reader
from scenarios.format.jsonschema import SCHEMA
from scenarios.msel import service as msel_service
from scenarios.msel import sheet
from scenarios.schemas import (
    DocumentIn,
    DraftIn,
    ExportQuery,
    ImportIn,
    LibraryQuery,
    MselIn,
    ProblemOut,
    ScenarioCloneIn,
    ScenarioOut,
    ScenarioSummaryOut,
)

bp = Blueprint(
    "api_scenarios", __name__, url_prefix="/api/v1/scenarios", description="Scenario authoring"
)


def _problems(problems: list[model.Problem]) -> list[dict]:
    return [
        {
            "place": model.render_path(p.path),
            "line": p.line,
            "message": p.message,
            "severity": p.severity,
        }
        for p in problems
    ]


def _out(scenario, version) -> dict:
    return {
        "slug": scenario.slug,
        "version": version.number,
        "state": version.state,
        "revision": service.token(version),
        "document": version.document,
        "problems": _problems(service.problems_of(version)),
    }


@bp.get("")
@allow("scenarios.author")
@bp.arguments(LibraryQuery, location="query")
@bp.response(200, ScenarioSummaryOut(many=True))
def library(query):
    """The library: each scenario's newest version, filtered."""
    return [
        {
            "slug": e.scenario.slug,
            "title": e.data.title,
            "summary": e.data.summary,
            "duration_minutes": e.data.duration_minutes,
            "difficulty": e.data.difficulty,
            "tags": e.data.tags,
            "languages": e.data.languages,
            "injects": len(e.data.injects),
            "version": e.version.number,
            "state": e.version.state,
        }
        for e in service.library(db.session(), **query)
    ]


@bp.get("/schema.json")
@allow("public")
def json_schema():
    """The scenario file format as a JSON Schema (the reader adds the cross-reference rules)."""
    return jsonify(SCHEMA)


@bp.get("/<slug>")
@allow("scenarios.author")
@bp.response(200, ScenarioOut)
def get(slug: str):
    """A scenario's newest version with its validation problems."""
    scenario = service.find(db.session(), slug)
    return _out(scenario, service.latest(db.session(), scenario))


@bp.post("/validate")
@allow("scenarios.author")
@bp.arguments(DocumentIn)
@bp.response(200, ProblemOut(many=True))
def validate(payload):
    """Every error and warning of a document; nothing is stored."""
    _scenario_data, problems = reader.read(payload["document"])
    return _problems(problems)


@bp.post("/import")
@allow("scenarios.author")
@bp.arguments(ImportIn)
@bp.response(201, ScenarioOut)
def import_(payload):
    """Import a file's text (YAML or JSON); refused whole (422) with every error and line."""
    session = db.session()
    version = service.import_text(
        session, payload["text"], as_new=payload["as_new"], actor=current_user
    )
    session.commit()
    return _out(session.get(service.Scenario, version.scenario_id), version)


@bp.put("/<slug>/draft")
@allow("scenarios.author")
@bp.arguments(DraftIn)
@bp.response(200, ScenarioOut)
def save_draft(payload, slug: str):
    """Save the draft. A save based on an older revision is refused with 409, and the
    answer carries the stored draft, so the editor can show both."""
    session = db.session()
    scenario = service.find(db.session(), slug)
    try:
        version = service.save_draft(
            session,
            scenario,
            payload["document"],
            expected=payload["revision"],
            actor=current_user,
        )
    except service.StaleDraft as stale:  # the answer carries the stored draft, not just why
        body = {
            "type": "about:blank",
            "title": "Conflict",
            "status": 409,
            "detail": str(stale),
            "current": _out(scenario, stale.current),
        }
        response = jsonify(body)
        response.status_code, response.mimetype = 409, "application/problem+json"
        return response
    session.commit()
    return _out(scenario, version)


@bp.post("/<slug>/publish")
@allow("scenarios.author")
@bp.response(200, ScenarioOut)
def publish(slug: str):
    """Publish the draft (refused with every error while it has any)."""
    session = db.session()
    scenario = service.find(db.session(), slug)
    version = service.publish_draft(session, scenario, current_user)
    session.commit()
    return _out(scenario, version)


@bp.get("/<slug>/export")
@allow("scenarios.author")
@bp.arguments(ExportQuery, location="query")
def export(query, slug: str):
    """The newest version in the file format (YAML or JSON)."""
    version = service.latest(db.session(), service.find(db.session(), slug))
    mimetype = "application/json" if query["format"] == "json" else "application/yaml"
    return Response(service.export_text(version, query["format"]), mimetype=mimetype)


@bp.post("/<slug>/clone")
@allow("scenarios.author")
@bp.arguments(ScenarioCloneIn)
@bp.response(201, ScenarioOut)
def clone(payload, slug: str):
    """A new scenario with its own history; its first version is a draft of this one's
    newest version."""
    session = db.session()
    source = service.find(db.session(), slug)
    title = payload["title"] or _(
        "Copy of %(title)s", title=service.latest(session, source).document.get("title", slug)
    )
    version = service.clone(session, source, title, actor=current_user)
    session.commit()
    return _out(session.get(service.Scenario, version.scenario_id), version)


@bp.post("/import/msel")
@allow("scenarios.author")
@bp.arguments(MselIn)
@bp.response(201, ScenarioOut)
@bp.alt_response(200, description="preview: how each column and row was understood")
def import_msel(payload):
    """A new draft from a master scenario events list (CSV). With `preview`, nothing is
    stored: the answer says which column became which field and each row's problems. Without
    it, a CSV with any row in error is refused whole (422)."""

    parsed = sheet.read(payload["csv"])
    if payload["preview"]:
        return jsonify(
            columns=[
                {"header": c.header, "field": None if c.duplicate else c.field}
                for c in parsed.columns
            ],
            rows=[
                {
                    "row": r.number,
                    "offset_minutes": r.offset,
                    "channel": r.channel,
                    "audience": list(r.audience) if r.audience is not None else None,
                    "cells": r.cells,
                    "problems": [str(p) for p in r.problems],
                }
                for r in parsed.rows
            ],
            problems=[str(p) for p in parsed.problems],
            errors=len(parsed.errors),
        )
    session = db.session()
    version = msel_service.import_msel(
        session,
        payload["csv"],
        title=payload["title"].strip(),
        summary=payload["summary"].strip() or _("Imported from a master scenario events list."),
        prompt=_("What does your team do? Describe the actions you take and why."),
        actor=current_user,
    )
    session.commit()
    return _out(session.get(service.Scenario, version.scenario_id), version)
