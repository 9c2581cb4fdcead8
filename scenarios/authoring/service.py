"""Scenario library use cases: import, export, drafts with stale-save protection, publishing,
clones, and the library list. Each works in the caller's session; the caller commits once."""

from __future__ import annotations

import copy
import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlmodel import Session, select

from core import audit
from core.documents import checksum
from core.domain import DomainError
from core.models import utcnow
from scenarios.format import model, reader, writer, yamlines
from scenarios.models import Scenario, ScenarioVersion

LIBRARY = Path(__file__).parent.parent / "library"
MAX_FILE_BYTES = 5 * 1024 * 1024


class ScenarioRefused(DomainError):
    """A scenario that cannot be stored or published (422); `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))

    def problem_fields(self) -> dict:
        return {"problems": list(self.problems)}


class ScenarioNotFound(DomainError):
    status = 404

    def __init__(self, slug: str):
        super().__init__(f"No scenario {slug}.")


class StaleDraft(DomainError):
    """The draft changed since the editor loaded it (409); `current` is the stored version."""

    status = 409

    def __init__(self, current: ScenarioVersion):
        self.current = current
        super().__init__(
            f"The draft was saved elsewhere (now {token(current)}); reload to see both."
        )

    def problem_fields(self) -> dict:
        return {"revision": token(self.current)}


def token(version: ScenarioVersion) -> str:
    """What an editor sends back with a save: the version and the revision it loaded."""
    return f"{version.number}.{version.revision}"


def parse_text(text: str) -> tuple[model.Scenario, list[model.Problem]]:
    """Read a YAML or JSON file; ScenarioRefused with every error (and its line) if it has any."""
    if len(text.encode()) > MAX_FILE_BYTES:
        raise ScenarioRefused([f"the file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB"])
    try:
        data, lines = yamlines.load(text)
    except yamlines.FormatError as error:
        raise ScenarioRefused(error.problems) from None
    scenario, problems = reader.read(data, lines)
    errors = model.errors(problems)
    if errors or scenario is None:
        raise ScenarioRefused([str(p) for p in errors])
    return scenario, problems


def export_text(version: ScenarioVersion, fmt: str = "yaml") -> str:
    scenario, _ = read_version(version)
    document = writer.to_document(scenario)
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def by_slug(session: Session, slug: str) -> Scenario | None:
    return session.exec(select(Scenario).where(Scenario.slug == slug)).first()


def find(session: Session, slug: str) -> Scenario:
    """The scenario a page or API call names, or ScenarioNotFound (404). Every scenario route
    loads through here; who may see it is the route's @allow (core/policy.py)."""
    scenario = by_slug(session, slug)
    if scenario is None:
        raise ScenarioNotFound(slug)
    return scenario


def versions(session: Session, scenario: Scenario) -> list[ScenarioVersion]:
    query = (
        select(ScenarioVersion)
        .where(ScenarioVersion.scenario_id == scenario.id)
        .order_by(ScenarioVersion.number.desc())
    )
    return list(session.exec(query))


def latest(session: Session, scenario: Scenario) -> ScenarioVersion:
    return versions(session, scenario)[0]


def free_slug(session: Session, slug: str) -> str:
    """`slug`, else <slug>-2, -3 and so on: the first id no scenario has."""
    candidate, n = slug, 2
    while by_slug(session, candidate) is not None:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _new_scenario(session: Session, slug: str, actor) -> Scenario:
    scenario = Scenario(slug=slug, created_by_id=getattr(actor, "id", None))
    session.add(scenario)
    session.flush()
    return scenario


def import_text(
    session: Session, text: str, *, as_new: bool = False, publish: bool = False, actor=None
) -> ScenarioVersion:
    """Store a scenario file: a new scenario, or a new draft of the scenario with its id.
    `as_new` keeps an existing scenario untouched and stores this one under a free id."""
    scenario_data, _problems = parse_text(text)
    document = writer.to_document(scenario_data)
    existing = by_slug(session, scenario_data.id)
    if existing is None or as_new:
        slug = free_slug(session, scenario_data.id)
        document["id"] = slug
        existing = _new_scenario(session, slug, actor)
    version = save_draft(session, existing, document, actor=actor)
    audit.record(
        session,
        "scenario.imported",
        actor=actor,
        obj_type="scenario",
        obj_id=existing.id,
        version=version.number,
    )
    if publish:
        publish_draft(session, existing, actor)
    return version


def save_draft(
    session: Session,
    scenario: Scenario,
    document: dict,
    *,
    expected: str | None = None,
    actor=None,
) -> ScenarioVersion:
    """Write the draft (made from the newest version when there is none). A save that names
    another version or revision (`token`) than the newest is refused with StaleDraft."""
    current = versions(session, scenario)
    draft = current[0] if current and current[0].state == "draft" else None
    if current and expected is not None and expected != token(current[0]):
        raise StaleDraft(current[0])
    document = {**document, "id": scenario.slug}
    digest = checksum(document)
    if draft is None:
        draft = ScenarioVersion(
            scenario_id=scenario.id,
            number=(current[0].number + 1) if current else 1,
            document=document,
            checksum=digest,
            created_by_id=getattr(actor, "id", None),
        )
    elif draft.checksum != digest:
        draft.document, draft.checksum, draft.revision = document, digest, draft.revision + 1
    session.add(draft)
    session.flush()
    return draft


_read: OrderedDict[str, tuple[model.Scenario | None, list[model.Problem]]] = OrderedDict()
READ_CACHE_SIZE = 64  # documents can carry 2 MB artifacts


def cached_scenario(checksum: str) -> model.Scenario | None:
    """The scenario of a document read already, or None (the console poll never reads)."""
    hit = _read.get(checksum)
    return hit[0] if hit else None


def read_version(version: ScenarioVersion) -> tuple[model.Scenario | None, list[model.Problem]]:
    """The version's scenario and problems, read once per document: consoles poll every two
    seconds and must not parse the scenario each time. Keyed by checksum, so an edited
    draft is read again; the oldest entries make room (autosave makes many)."""
    hit = _read.get(version.checksum)
    if hit is None:
        hit = _read[version.checksum] = reader.read(version.document)
        if len(_read) > READ_CACHE_SIZE:
            _read.popitem(last=False)
    else:
        _read.move_to_end(version.checksum)
    return hit


def problems_of(version: ScenarioVersion) -> list[model.Problem]:
    return read_version(version)[1]


def publish_draft(session: Session, scenario: Scenario, actor=None) -> ScenarioVersion:
    draft = latest(session, scenario)
    if draft.state != "draft":
        raise ScenarioRefused(
            [f"version {draft.number} is published already; edit to make a new draft"]
        )
    errors = model.errors(problems_of(draft))
    if errors:
        raise ScenarioRefused([str(p) for p in errors])
    draft.state, draft.published_at = "published", utcnow()
    session.add(draft)
    audit.record(
        session,
        "scenario.published",
        actor=actor,
        obj_type="scenario",
        obj_id=scenario.id,
        version=draft.number,
    )
    return draft


@dataclass(frozen=True)
class LibraryEntry:
    scenario: Scenario
    version: ScenarioVersion
    data: model.Scenario


def library(
    session: Session,
    *,
    q: str = "",
    tag: str = "",
    capability: str = "",
    pillar: str = "",
    language: str = "",
    max_minutes: int | None = None,
) -> list[LibraryEntry]:
    """Every scenario's newest version, filtered, sorted by title."""
    newest: dict[int, tuple[Scenario, ScenarioVersion]] = {}
    query = (
        select(Scenario, ScenarioVersion)
        .join(ScenarioVersion)
        .order_by(ScenarioVersion.number.desc())
    )
    for scenario, version in session.exec(query):  # one query, newest version first
        newest.setdefault(scenario.id, (scenario, version))
    entries = []
    for scenario, version in newest.values():
        data, _ = read_version(version)
        text = f"{data.title} {data.summary} {' '.join(data.tags)}".casefold()
        if q and q.casefold() not in text:
            continue
        if tag and tag not in data.tags:
            continue
        if capability and capability not in {o.capability for o in data.objectives}:
            continue
        if pillar and pillar not in {o.gci_pillar for o in data.objectives}:
            continue
        if language and language not in data.languages:
            continue
        if max_minutes and data.duration_minutes > max_minutes:
            continue
        entries.append(LibraryEntry(scenario, version, data))
    return sorted(entries, key=lambda e: e.data.title.casefold())


def load_library(session: Session, actor=None) -> int:
    """Import and publish every file of scenarios/library that is not there yet."""
    count = 0
    for path in sorted(LIBRARY.glob("*.yaml")):
        if by_slug(session, path.stem) is None:
            import_text(session, path.read_text(encoding="utf-8"), publish=True, actor=actor)
            count += 1
    return count


def create(session: Session, document: dict, actor=None) -> ScenarioVersion:
    """A new scenario from the editor; its first draft may still have errors."""
    slug = document["id"]
    if not model.SLUG.match(slug or ""):
        raise ScenarioRefused(["the id must be lowercase letters, digits and dashes"])
    if by_slug(session, slug) is not None:
        raise ScenarioRefused([f"a scenario with the id {slug!r} exists already"])
    scenario = _new_scenario(session, slug, actor)
    audit.record(session, "scenario.created", actor=actor, obj_type="scenario", obj_id=scenario.id)
    return save_draft(session, scenario, document, actor=actor)


def edit(
    session: Session,
    scenario: Scenario,
    change,
    *,
    expected: str | None = None,
    actor=None,
) -> ScenarioVersion:
    """Apply `change` (a function that edits a document in place) to the newest version and
    store the result as the draft; StaleDraft if the newest version is not the one the editor
    loaded (`expected`, a token)."""
    current = latest(session, scenario)
    if expected is not None and expected != token(current):
        raise StaleDraft(current)
    document = copy.deepcopy(current.document)
    change(document)
    return save_draft(session, scenario, document, actor=actor)


def clone(session: Session, source: Scenario, title: str, actor=None) -> ScenarioVersion:
    """A new scenario with its own history: its first version is a draft made from the
    source's newest version (published or draft), under a new id and `title`."""
    origin = latest(session, source)
    slug = free_slug(session, f"{source.slug[:70]}-copy")  # within the 80 characters of an id
    document = copy.deepcopy(origin.document)
    document["title"] = title[:200]
    scenario = _new_scenario(session, slug, actor)
    version = save_draft(session, scenario, document, actor=actor)
    audit.record(
        session,
        "scenario.cloned",
        actor=actor,
        obj_type="scenario",
        obj_id=scenario.id,
        source=source.slug,
        source_version=origin.number,
    )
    return version
