"""Master scenario events list use case: a new scenario draft from a CSV text. Works in the
caller's session; the caller commits once."""

from __future__ import annotations

from sqlmodel import Session

from core import audit
from scenarios.authoring import service
from scenarios.models import ScenarioVersion
from scenarios.msel import sheet


def import_msel(
    session: Session, text: str, *, title: str, summary: str, prompt: str, actor=None
) -> ScenarioVersion:
    """A new scenario draft from a master scenario events list (CSV text), read again here:
    refused whole (ScenarioRefused, nothing stored) while any row has an error."""
    parsed = sheet.read(text)
    if parsed.errors:
        raise service.ScenarioRefused([str(p) for p in parsed.errors])
    slug = service.free_slug(session, sheet.slug_for(title))
    document = sheet.to_document(parsed, slug=slug, title=title, summary=summary, prompt=prompt)
    version = service.create(session, document, actor)
    audit.record(
        session,
        "scenario.imported_msel",
        actor=actor,
        obj_type="scenario",
        obj_id=version.scenario_id,
        injects=len(parsed.rows),
        version=version.number,
    )
    return version
