"""Read a scenario document (a dict in the file format) into the dataclasses of `model`,
collecting every structural problem with its place (and line, when the document came from a
file); `checks` then adds the rules that span nodes. Errors stop publishing and importing;
warnings are advice. Pure."""

from __future__ import annotations

from scenarios.format import artifacts as binary
from scenarios.format import checks
from scenarios.format.model import (
    ARTIFACT_KINDS,
    CAPABILITIES,
    CHANNELS,
    CONDITIONS,
    DEFAULT_BANNER,
    DIFFICULTIES,
    ENCODINGS,
    FACT_FIELDS,
    FORMAT,
    LANGUAGES,
    MATCHES,
    MAX_ARTIFACT_BYTES,
    MAX_BODY_CHARS,
    MAX_INJECTS,
    PILLARS,
    RESPONSE_TYPES,
    SLUG,
    TLP,
    Artifact,
    Condition,
    Decay,
    Hint,
    Inject,
    Objective,
    Problem,
    Response,
    Scenario,
)
from scenarios.format.yamlines import line_of


class _Reader:
    """Collects problems while it reads; the place of each is a path into the document."""

    def __init__(self, lines: dict | None):
        self.problems: list[Problem] = []
        self.lines = lines or {}

    def add(self, path, message, severity="error"):
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
    checks.check(r, scenario)
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
    condition = _condition(r, n, path)
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


def _condition(r: _Reader, n: dict, path) -> Condition | None:
    if n.get("condition") is None:
        return None
    cpath = (*path, "condition")
    c = r.fields(n["condition"], cpath, {"response", "is", "minutes"})
    return Condition(
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
    decay = _decay(r, n, path)
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


def _decay(r: _Reader, n: dict, path) -> Decay | None:
    if n.get("decay") is None:
        return None
    dpath = (*path, "decay")
    d = r.fields(n["decay"], dpath, {"full_minutes", "zero_minutes", "floor"})
    return Decay(
        r.number(d, "full_minutes", dpath),
        r.number(d, "zero_minutes", dpath),
        r.number(d, "floor", dpath),
    )
