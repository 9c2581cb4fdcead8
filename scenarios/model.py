"""The scenario as pure data: read a scenario document (the YAML/JSON file format described
in scenarios/FORMAT.md), check it, and write it back. No Flask, no database.

`read` turns a document into a Scenario and a list of problems, each with its place (and
line, when the document came from a file). Errors stop publishing and importing; warnings
are advice. `to_document` writes the Scenario back, so export -> import gives the same one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scenarios import artifacts as binary

FORMAT = "cyberready-scenario/1"
CAPABILITIES = ("Govern", "Identify", "Protect", "Detect", "Respond", "Recover")
PILLARS = ("LEG", "TEC", "ORG", "CAP", "COO")
CHANNELS = ("email", "phone", "news", "social", "soc_alert", "ticket", "partner_cirt", "regulator")
ARTIFACT_KINDS = ("log", "ioc_list", "pcap", "image", "document")
RESPONSE_TYPES = ("free_text", "single_choice", "multiple_choice", "exact", "number")
MATCHES = ("exact", "case_insensitive", "regex")
CONDITIONS = ("correct", "incorrect", "unanswered")
DIFFICULTIES = ("introductory", "intermediate", "advanced")
TLP = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
DEFAULT_BANNER = "EXERCISE — EXERCISE — EXERCISE"
# The scenario's own facts, beside its id, objectives and injects.
FACT_FIELDS = (
    "title",
    "summary",
    "audience",
    "languages",
    "duration_minutes",
    "difficulty",
    "tags",
    "tlp",
    "banner",
    "author",
)
MAX_INJECTS = 1000
MAX_ARTIFACT_BYTES = 256 * 1024  # a text artifact
MAX_BINARY_ARTIFACT_BYTES = binary.MAX_BINARY_BYTES  # a binary one, decoded
ENCODINGS = ("text", "base64")
MAX_BODY_CHARS = 20_000
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")


@dataclass(frozen=True)
class Problem:
    path: tuple
    message: str
    severity: str = "error"  # error | warning
    line: int | None = None

    def __str__(self) -> str:
        where = render_path(self.path)
        line = f"line {self.line}, " if self.line else ""
        return f"{line}{where}: {self.message}" if where else f"{line}{self.message}"


@dataclass(frozen=True)
class Objective:
    id: str
    text: str
    capability: str
    gci_pillar: str


@dataclass(frozen=True)
class Artifact:
    name: str
    kind: str
    media_type: str
    content: str  # the text, or the bytes in base64 when encoding is base64
    encoding: str = "text"

    @property
    def is_binary(self) -> bool:
        return self.encoding == "base64"

    @property
    def is_inline_image(self) -> bool:
        return self.is_binary and self.media_type in binary.INLINE_IMAGES

    def data(self) -> bytes:
        """The bytes of the artifact (only read() ever builds one, so its content decodes)."""
        return (binary.decode(self.content) or b"") if self.is_binary else self.content.encode()


@dataclass(frozen=True)
class Condition:
    response: str  # "<inject id>.<response id>"
    is_: str
    minutes: int | None = None


@dataclass(frozen=True)
class Decay:
    full_minutes: float
    zero_minutes: float
    floor: float


@dataclass(frozen=True)
class Hint:
    text: str
    cost: float


@dataclass(frozen=True)
class Response:
    id: str
    prompt: str
    type: str
    points: float
    scoring: str  # auto | evaluator
    answer: object = None
    match: str = "exact"
    options: tuple[tuple[str, str], ...] = ()
    tolerance: float = 0.0
    criteria: tuple[str, ...] = ()
    decay: Decay | None = None
    hints: tuple[Hint, ...] = ()
    objectives: tuple[str, ...] = ()
    attempts: int = 1  # how many times a team may submit while not yet right


@dataclass(frozen=True)
class Inject:
    id: str
    offset_minutes: int
    title: str
    channel: str
    body: str
    story_time: str = ""
    sender: str = ""
    artifacts: tuple[Artifact, ...] = ()
    audience_tags: tuple[str, ...] | None = None  # None: every team
    objectives: tuple[str, ...] = ()
    condition: Condition | None = None
    responses: tuple[Response, ...] = ()


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    summary: str
    audience: str
    languages: tuple[str, ...]
    duration_minutes: int
    difficulty: str
    tags: tuple[str, ...]
    tlp: str
    objectives: tuple[Objective, ...]
    injects: tuple[Inject, ...]
    banner: str = DEFAULT_BANNER
    author: str = ""

    @property
    def total_points(self) -> float:
        return sum(r.points for i in self.injects for r in i.responses)

    def inject(self, inject_id: str) -> Inject | None:
        return next((i for i in self.injects if i.id == inject_id), None)


# --- reading -----------------------------------------------------------------------------


class _Reader:
    """Collects problems while it reads; the place of each is a path into the document."""

    def __init__(self, lines: dict | None):
        self.problems: list[Problem] = []
        self.lines = lines or {}

    def add(self, path, message, severity="error"):
        from scenarios.yamlines import line_of

        self.problems.append(Problem(tuple(path), message, severity, line_of(self.lines, path)))

    def fields(self, node, path, allowed: set[str]) -> dict:
        if not isinstance(node, dict):
            self.add(path, "must be a mapping of fields")
            return {}
        for key in node:
            if key not in allowed:
                self.add((*path, key), f"unknown field {key!r}")
        return node

    def text(self, node, key, path, required=True, max_len=2000, default="") -> str:
        value = node.get(key, None)
        if value is None:
            if required:
                self.add((*path, key), "is required")
            return default
        if not isinstance(value, str):
            self.add((*path, key), "must be text")
            return default
        if required and not value.strip():
            self.add((*path, key), "must not be empty")
        if len(value) > max_len:
            self.add((*path, key), f"is longer than {max_len} characters")
        return value

    def number(self, node, key, path, required=True, minimum=0.0, default=0.0, integer=False):
        value = node.get(key, None)
        if value is None:
            if required:
                self.add((*path, key), "is required")
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add((*path, key), f"must be a number, got {value!r}")
            return default
        if integer and value != int(value):
            self.add((*path, key), "must be a whole number")
        if value < minimum:
            self.add((*path, key), f"must be at least {minimum:g}")
        return int(value) if integer else float(value)

    def choice(self, node, key, path, choices, required=True, default=None):
        value = node.get(key, default)
        if value is None:
            if required:
                self.add((*path, key), f"is required: one of {', '.join(choices)}")
            return default
        if value not in choices:
            self.add((*path, key), f"{value!r} is not one of {', '.join(choices)}")
        return value

    def id_list(self, node, key, path) -> tuple[str, ...]:
        value = node.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add((*path, key), "must be a list of ids")
            return ()
        return tuple(value)


def read(document, lines: dict | None = None) -> tuple[Scenario | None, list[Problem]]:
    """The scenario and every problem found; the scenario is None when it cannot be built."""
    r = _Reader(lines)
    top = r.fields(document, (), {"format", "id", *FACT_FIELDS, "objectives", "injects"})
    if not top:
        return None, r.problems
    if top.get("format") != FORMAT:
        r.add(("format",), f"must be {FORMAT!r}")
    scenario_id = r.text(top, "id", (), max_len=80)
    if scenario_id and not SLUG.match(scenario_id):
        r.add(("id",), "use lowercase letters, digits and dashes")
    languages = top.get("languages", ["en"])
    if (
        not isinstance(languages, list)
        or not languages
        or any(v not in LANGUAGES for v in languages)
    ):
        r.add(("languages",), f"a list of some of {', '.join(LANGUAGES)}")
        languages = ["en"]
    tags = top.get("tags", [])
    if not isinstance(tags, list) or any(not isinstance(t, str) or t != t.lower() for t in tags):
        r.add(("tags",), "a list of lowercase words")
        tags = []
    objectives = []
    for i, node in enumerate(_list(r, top, "objectives", ())):
        path = ("objectives", i)
        o = r.fields(node, path, {"id", "text", "capability", "gci_pillar"})
        objectives.append(
            Objective(
                r.text(o, "id", path, max_len=40),
                r.text(o, "text", path),
                r.choice(o, "capability", path, CAPABILITIES),
                r.choice(o, "gci_pillar", path, PILLARS),
            )
        )
    raw_injects = _list(r, top, "injects", ())
    if len(raw_injects) > MAX_INJECTS:
        r.add(("injects",), f"{len(raw_injects)} injects; the limit is {MAX_INJECTS}")
        raw_injects = raw_injects[:MAX_INJECTS]
    injects = [_inject(r, node, ("injects", i)) for i, node in enumerate(raw_injects)]
    scenario = Scenario(
        id=scenario_id,
        title=r.text(top, "title", (), max_len=200),
        summary=r.text(top, "summary", (), max_len=2000),
        audience=r.text(top, "audience", (), required=False, max_len=300),
        languages=tuple(languages),
        duration_minutes=r.number(top, "duration_minutes", (), minimum=1, integer=True, default=1),
        difficulty=r.choice(top, "difficulty", (), DIFFICULTIES),
        tags=tuple(tags),
        tlp=r.choice(top, "tlp", (), TLP),
        objectives=tuple(objectives),
        injects=tuple(injects),
        banner=r.text(top, "banner", (), required=False, default=DEFAULT_BANNER, max_len=120),
        author=r.text(top, "author", (), required=False, max_len=200),
    )
    _check(r, scenario)
    return scenario, r.problems


def _list(r: _Reader, node: dict, key: str, path) -> list:
    value = node.get(key, [])
    if not isinstance(value, list):
        r.add((*path, key), "must be a list")
        return []
    return value


def _inject(r: _Reader, node, path) -> Inject:
    n = r.fields(
        node,
        path,
        {
            "id",
            "offset_minutes",
            "story_time",
            "title",
            "channel",
            "sender",
            "body",
            "artifacts",
            "audience",
            "objectives",
            "condition",
            "responses",
        },
    )
    artifacts = [
        _artifact(r, a, (*path, "artifacts", i))
        for i, a in enumerate(_list(r, n, "artifacts", path))
    ]
    audience = n.get("audience", "all")
    tags = None
    if audience != "all":
        if not (
            isinstance(audience, dict)
            and set(audience) == {"tags"}
            and isinstance(audience["tags"], list)
            and audience["tags"]
        ):
            r.add((*path, "audience"), "must be all, or {tags: [some, tags]}")
        else:
            tags = tuple(audience["tags"])
    condition = None
    if n.get("condition") is not None:
        cpath = (*path, "condition")
        c = r.fields(n["condition"], cpath, {"response", "is", "minutes"})
        condition = Condition(
            r.text(c, "response", cpath, max_len=81),
            r.choice(c, "is", cpath, CONDITIONS),
            r.number(
                c,
                "minutes",
                cpath,
                required=c.get("is") == "unanswered",
                minimum=1,
                integer=True,
                default=None,
            ),
        )
    responses = [
        _response(r, x, (*path, "responses", i))
        for i, x in enumerate(_list(r, n, "responses", path))
    ]
    return Inject(
        id=r.text(n, "id", path, max_len=40),
        offset_minutes=r.number(n, "offset_minutes", path, integer=True, default=0),
        title=r.text(n, "title", path, max_len=200),
        channel=r.choice(n, "channel", path, CHANNELS),
        body=r.text(n, "body", path, max_len=MAX_BODY_CHARS),
        story_time=r.text(n, "story_time", path, required=False, max_len=60),
        sender=r.text(n, "sender", path, required=False, max_len=200),
        artifacts=tuple(artifacts),
        audience_tags=tags,
        objectives=r.id_list(n, "objectives", path),
        condition=condition,
        responses=tuple(responses),
    )


def _artifact(r: _Reader, node, path) -> Artifact:
    a = r.fields(node, path, {"name", "kind", "media_type", "encoding", "content"})
    name = r.text(a, "name", path, max_len=120)
    kind = r.choice(a, "kind", path, ARTIFACT_KINDS)
    encoding = r.choice(a, "encoding", path, ENCODINGS, required=False, default="text")
    content = r.text(a, "content", path, max_len=10**9)
    declared = a.get("media_type")
    if encoding != "base64":
        if len(content.encode()) > MAX_ARTIFACT_BYTES:
            r.add(
                (*path, "content"),
                f"is {len(content.encode()) // 1024} KB; the limit is "
                f"{MAX_ARTIFACT_BYTES // 1024} KB",
            )
        if declared in binary.BINARY_TYPES:
            r.add((*path, "media_type"), f"{declared} needs encoding: base64")
        media_type = r.text(a, "media_type", path, required=False, default="text/plain")
        return Artifact(name, kind, media_type or "text/plain", content)
    data = binary.decode(content)
    if data is None:
        r.add((*path, "content"), "is not valid base64")
        return Artifact(name, kind, "application/octet-stream", "", "base64")
    if declared is not None and not isinstance(declared, str):
        r.add((*path, "media_type"), "must be text")
        declared = None
    for field, message in binary.check(data, kind, declared):
        r.add((*path, field), message)
    # the type the content really is, so a wrong claim can never reach a browser
    return Artifact(name, kind, binary.sniff(data) or "application/octet-stream", content, "base64")


def _response(r: _Reader, node, path) -> Response:
    n = r.fields(
        node,
        path,
        {
            "id",
            "prompt",
            "type",
            "answer",
            "match",
            "options",
            "tolerance",
            "points",
            "scoring",
            "criteria",
            "decay",
            "hints",
            "objectives",
            "attempts",
        },
    )
    options = []
    for i, o in enumerate(_list(r, n, "options", path)):
        opath = (*path, "options", i)
        o = r.fields(o, opath, {"key", "label"})
        options.append((r.text(o, "key", opath, max_len=40), r.text(o, "label", opath)))
    decay = None
    if n.get("decay") is not None:
        dpath = (*path, "decay")
        d = r.fields(n["decay"], dpath, {"full_minutes", "zero_minutes", "floor"})
        decay = Decay(
            r.number(d, "full_minutes", dpath),
            r.number(d, "zero_minutes", dpath),
            r.number(d, "floor", dpath),
        )
    hints = []
    for i, h in enumerate(_list(r, n, "hints", path)):
        hpath = (*path, "hints", i)
        h = r.fields(h, hpath, {"text", "cost"})
        hints.append(Hint(r.text(h, "text", hpath), r.number(h, "cost", hpath)))
    criteria = n.get("criteria", [])
    if not isinstance(criteria, list) or not all(isinstance(c, str) for c in criteria):
        r.add((*path, "criteria"), "must be a list of sentences")
        criteria = []
    return Response(
        id=r.text(n, "id", path, max_len=40),
        prompt=r.text(n, "prompt", path),
        type=r.choice(n, "type", path, RESPONSE_TYPES),
        points=r.number(n, "points", path),
        scoring=r.choice(n, "scoring", path, ("auto", "evaluator")),
        answer=n.get("answer"),
        match=r.choice(n, "match", path, MATCHES, required=False, default="exact"),
        options=tuple(options),
        tolerance=r.number(n, "tolerance", path, required=False),
        criteria=tuple(criteria),
        decay=decay,
        hints=tuple(hints),
        objectives=r.id_list(n, "objectives", path),
        attempts=r.number(n, "attempts", path, required=False, minimum=1, default=1, integer=True),
    )


# --- the rules ---------------------------------------------------------------------------


def _check(r: _Reader, s: Scenario) -> None:
    _unique(r, [o.id for o in s.objectives], ("objectives",), "objective")
    _unique(r, [i.id for i in s.injects], ("injects",), "inject")
    objective_ids = {o.id for o in s.objectives}
    served, scored = set(), set()
    index = {inject.id: n for n, inject in enumerate(s.injects)}
    for n, inject in enumerate(s.injects):
        path = ("injects", n)
        if inject.id and not ID.match(inject.id):
            r.add((*path, "id"), "use letters, digits, '.', '_' or '-' (at most 40)")
        if not 0 <= inject.offset_minutes < s.duration_minutes:
            r.add(
                (*path, "offset_minutes"),
                f"{inject.offset_minutes} is outside the scenario's {s.duration_minutes} minutes",
            )
        for o in inject.objectives:
            if o not in objective_ids:
                r.add((*path, "objectives"), f"no objective {o!r}")
        served.update(inject.objectives)
        _unique(r, [x.id for x in inject.responses], (*path, "responses"), "response")
        for m, response in enumerate(inject.responses):
            _check_response(r, response, (*path, "responses", m), objective_ids)
            scored.update(response.objectives)
        if inject.condition is not None:
            _check_condition(r, s, inject, path, index)
        if not inject.responses:
            r.add((*path, "responses"), "no expected response: nothing is scored here", "warning")
    for n, objective in enumerate(s.objectives):
        if objective.id not in served:
            r.add(("objectives", n), f"objective {objective.id} is served by no inject")
        if objective.id not in scored:
            r.add(("objectives", n), f"objective {objective.id} is scored by no response")
    if not s.objectives:
        r.add(("objectives",), "a scenario needs at least one objective")
    if not s.injects:
        r.add(("injects",), "a scenario needs at least one inject")
    elif s.total_points <= 0:
        r.add(("injects",), "no response earns points: the drill cannot be scored", "warning")
    for cycle in _condition_cycles(s):
        r.add(("injects",), "branching forms a cycle: " + " -> ".join(cycle))


def _unique(r, ids, path, what) -> None:
    seen = set()
    for n, value in enumerate(ids):
        if value and value in seen:
            r.add((*path, n, "id"), f"duplicate {what} id {value!r}")
        seen.add(value)


def _check_response(r: _Reader, x: Response, path, objective_ids) -> None:
    for o in x.objectives:
        if o not in objective_ids:
            r.add((*path, "objectives"), f"no objective {o!r}")
    keys = [k for k, _label in x.options]
    if x.type in ("single_choice", "multiple_choice") and len(keys) < 2:
        r.add((*path, "options"), "a choice needs at least two options")
    if len(set(keys)) != len(keys):
        r.add((*path, "options"), "option keys must be unique")
    if x.scoring == "evaluator":
        if not x.criteria:
            r.add((*path, "criteria"), "evaluator scoring needs criteria for the evaluator")
    elif x.scoring == "auto":
        problem = _answer_problem(x, keys)
        if problem:
            r.add((*path, "answer"), problem)
    if x.decay is not None:
        d = x.decay
        if not 0 <= d.floor <= 1:
            r.add((*path, "decay", "floor"), "must be between 0 and 1 (a share of the points)")
        if d.zero_minutes <= d.full_minutes:
            r.add((*path, "decay", "zero_minutes"), "must come after full_minutes")
    if sum(h.cost for h in x.hints) > x.points:
        r.add((*path, "hints"), "the hints together cost more than the response is worth")


def _answer_problem(x: Response, keys: list[str]) -> str | None:
    a = x.answer
    if x.type == "free_text":
        return "free text cannot be checked automatically: use scoring: evaluator"
    if a is None:
        return f"an automatically scored {x.type} response needs its answer"
    if x.type == "exact":
        if not isinstance(a, str | int | float) or isinstance(a, bool):
            return "must be a value"
        if x.match == "regex":
            try:
                re.compile(str(a))
            except re.error as error:
                return f"is not a valid regular expression: {error}"
    if x.type == "single_choice" and a not in keys:
        return f"{a!r} is not one of the option keys"
    if x.type == "multiple_choice" and (not isinstance(a, list) or any(v not in keys for v in a)):
        return "must be a list of option keys"
    if x.type == "number" and (isinstance(a, bool) or not isinstance(a, int | float)):
        return "must be a number"
    return None


def _check_condition(r: _Reader, s: Scenario, inject: Inject, path, index) -> None:
    c = inject.condition
    inject_id, _, response_id = c.response.partition(".")
    target = s.inject(inject_id)
    cpath = (*path, "condition", "response")
    if target is None or not any(x.id == response_id for x in target.responses):
        r.add(cpath, f"no response {c.response!r} (write <inject id>.<response id>)")
        return
    if target.id != inject.id and target.offset_minutes > inject.offset_minutes:
        r.add(
            cpath,
            f"{target.id} comes later ({target.offset_minutes} min) than this inject "
            f"({inject.offset_minutes} min): a condition looks back, not forward",
        )
    if (
        c.is_ == "unanswered"
        and c.minutes is not None
        and (target.offset_minutes + c.minutes > inject.offset_minutes)
    ):
        r.add(
            (*path, "condition", "minutes"),
            f"{target.id} + {c.minutes} min is after this inject's offset; "
            f"it could never be known in time",
            "warning",
        )


def _condition_cycles(s: Scenario) -> list[list[str]]:
    """Chains of injects each conditional on the next that come back to their start."""
    depends = {}
    for inject in s.injects:
        if inject.condition is not None:
            depends[inject.id] = inject.condition.response.partition(".")[0]
    cycles, reported = [], set()
    for start in depends:
        chain, current = [start], depends.get(start)
        while current is not None and current not in chain:
            chain.append(current)
            current = depends.get(current)
        if current is not None:
            loop = chain[chain.index(current) :]
            key = frozenset(loop)
            if key not in reported:
                reported.add(key)
                cycles.append([*loop, current])
    return cycles


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def render_path(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --- writing -----------------------------------------------------------------------------


def to_document(s: Scenario) -> dict:
    """The scenario as a document of the file format; read(to_document(s)) gives s back."""
    doc = {
        "format": FORMAT,
        "id": s.id,
        "title": s.title,
        "summary": s.summary,
        "audience": s.audience,
        "languages": list(s.languages),
        "duration_minutes": s.duration_minutes,
        "difficulty": s.difficulty,
        "tags": list(s.tags),
        "tlp": s.tlp,
        "banner": s.banner,
        "author": s.author,
        "objectives": [
            {"id": o.id, "text": o.text, "capability": o.capability, "gci_pillar": o.gci_pillar}
            for o in s.objectives
        ],
        "injects": [_inject_document(i) for i in s.injects],
    }
    return doc


def _inject_document(i: Inject) -> dict:
    doc = {
        "id": i.id,
        "offset_minutes": i.offset_minutes,
        "story_time": i.story_time,
        "title": i.title,
        "channel": i.channel,
        "sender": i.sender,
        "body": i.body,
        "audience": "all" if i.audience_tags is None else {"tags": list(i.audience_tags)},
        "objectives": list(i.objectives),
    }
    if i.artifacts:
        doc["artifacts"] = [_artifact_document(a) for a in i.artifacts]
    if i.condition is not None:
        doc["condition"] = {"response": i.condition.response, "is": i.condition.is_}
        if i.condition.minutes is not None:
            doc["condition"]["minutes"] = i.condition.minutes
    doc["responses"] = [_response_document(x) for x in i.responses]
    return doc


def _artifact_document(a: Artifact) -> dict:
    doc = {"name": a.name, "kind": a.kind, "media_type": a.media_type}
    if a.is_binary:
        doc["encoding"] = "base64"
    doc["content"] = a.content
    return doc


def _response_document(x: Response) -> dict:
    doc = {"id": x.id, "prompt": x.prompt, "type": x.type, "points": x.points, "scoring": x.scoring}
    if x.answer is not None:
        doc["answer"] = x.answer
    if x.type == "exact":
        doc["match"] = x.match
    if x.options:
        doc["options"] = [{"key": k, "label": label} for k, label in x.options]
    if x.type == "number":
        doc["tolerance"] = x.tolerance
    if x.criteria:
        doc["criteria"] = list(x.criteria)
    if x.decay is not None:
        doc["decay"] = {
            "full_minutes": x.decay.full_minutes,
            "zero_minutes": x.decay.zero_minutes,
            "floor": x.decay.floor,
        }
    if x.hints:
        doc["hints"] = [{"text": h.text, "cost": h.cost} for h in x.hints]
    doc["objectives"] = list(x.objectives)
    if x.attempts != 1:
        doc["attempts"] = x.attempts
    return doc
