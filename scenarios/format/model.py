"""The scenario as pure data: the file format's constants (scenarios/FORMAT.md), the frozen
dataclasses a document is read into, and the problems found in one. No Flask, no database.

`reader.read` builds these from a document, `checks` adds the rules that span nodes,
`writer.to_document` writes them back, so export -> import gives the same scenario.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scenarios.format import artifacts as binary

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


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def render_path(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
