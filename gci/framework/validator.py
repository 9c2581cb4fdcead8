"""Reading a framework document into gci/framework/model.py's objects, with every problem
listed by its place: unknown fields (typos), codes used twice, weights, what each answer type
needs (answer_types.py), sub-questions and their conditions, tiers, and whether every
pillar and indicator can earn its share. No Flask, no database."""

from __future__ import annotations

from core.domain import DomainError
from gci.framework import answer_types
from gci.framework.model import Framework, Indicator, Option, Pillar, Question, Tier, derive_points


class FrameworkError(DomainError):
    """A framework document that cannot be used; `problems` lists every reason with its place."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))

    def problem_fields(self) -> dict:
        return {"problems": self.problems}


# --- parsing -----------------------------------------------------------------------------

# Keys each level may carry; any key ending in "_source" (provenance) and "notes" too.
KEYS = {
    "framework": {
        "format",
        "code",
        "name",
        "edition",
        "placeholder_weights",
        "scoring_rule",
        "partial_value",
        "publish_ranks",
        "tiers",
        "sources",
        "provenance_legend",
        "pillars",
    },
    "pillar": {"code", "name", "weight", "indicators"},
    "indicator": {"code", "name", "weight", "questions", "sub_indicators"},
    "question": {
        "code",
        "text",
        "help_text",
        "answer_type",
        "options",
        "scale",
        "weight",
        "evidence_required_for_positive_answer",
        "sub_questions",
        "parent",
        "shown_when_parent_answer",
    },
}


def _unknown_keys(node: dict, level: str, place: str, problems: list[str]) -> None:
    for key in node:
        if key not in KEYS[level] and key != "notes" and not key.endswith("_source"):
            problems.append(f"{place}: unknown field {key!r} (a typo?)")


def _node_code(node: dict, level: str, place: str, problems: list[str], seen: set[str]):
    """The node's code and its place for messages; checks fields and uniqueness of codes."""
    code = _text(node, "code", place, problems)
    place = f"{place} ({code})" if code else place
    _unknown_keys(node, level, place, problems)
    if code in seen:
        problems.append(f"{place}: duplicate code {code}")
    seen.add(code)
    return code, place


def _number(value, place: str, problems: list[str], name: str = "weight") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{place}: {name} must be a number, got {value!r}")
        return 0.0
    if value < 0:
        problems.append(f"{place}: {name} must not be negative, got {value}")
        return 0.0
    return float(value)


def _text(node: dict, key: str, place: str, problems: list[str]) -> str:
    value = node.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{place}: {key} is missing or empty")
        return ""
    return value


def _question(node, place, problems, seen, parent=None) -> list[Question]:
    if not isinstance(node, dict):
        problems.append(f"{place}: a question must be an object")
        return []
    code, place = _node_code(node, "question", place, problems, seen)
    answer_type = node.get("answer_type")
    kind = answer_types.TYPES.get(answer_type)
    if kind is None:
        problems.append(
            f"{place}: unknown answer_type {answer_type!r}; "
            f"use one of {', '.join(answer_types.NAMES)}"
        )
    weight = _number(node.get("weight", 1), place, problems)
    if kind is not None and not kind.scored and weight:
        problems.append(f"{place}: a {answer_type} answer is not scored, so its weight must be 0")
    options = []
    for i, option in enumerate(node.get("options") or []):
        key = option.get("key") if isinstance(option, dict) else None
        if not key:
            problems.append(f"{place}: option {i + 1} has no key")
            continue
        value = _number(option.get("value", 1), f"{place} option {key}", problems, "value")
        if value > 1:
            problems.append(f"{place} option {key}: value must be between 0 and 1")
        options.append(Option(key, option.get("label", key), value))
    if len({o.key for o in options}) != len(options):
        problems.append(f"{place}: option keys must be unique")
    raw = node.get("scale")
    scale = None
    numbers = (
        isinstance(raw, list | tuple)
        and len(raw) == 2
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in raw)
    )
    if numbers and raw[0] != raw[1]:
        scale = (float(raw[0]), float(raw[1]))
    parent_code = parent.code if parent else node.get("parent")
    shown_when = node.get("shown_when_parent_answer", "yes" if parent_code else None)
    if isinstance(shown_when, str):
        shown_when = (shown_when,)
    if parent_code is None and node.get("shown_when_parent_answer") is not None:
        problems.append(f"{place}: shown_when_parent_answer is only for sub-questions")
    question = Question(
        code=code,
        text=_text(node, "text", place, problems),
        answer_type=answer_type or "",
        weight=weight,
        help_text=node.get("help_text", ""),
        evidence_required=bool(node.get("evidence_required_for_positive_answer", False)),
        options=tuple(options),
        scale=scale,
        parent=parent_code,
        shown_when=tuple(shown_when or ()) if parent_code else (),
    )
    if kind is not None:
        problems += [f"{place}: {problem}" for problem in kind.problems(question)]
    result = [question]
    for i, sub in enumerate(node.get("sub_questions") or []):
        result += _question(sub, f"{place} sub-question {i + 1}", problems, seen, question)
    return result


def _check_parents(questions: list[Question], place: str, problems: list[str]) -> None:
    """Sub-questions point at a parent in the same indicator, which allows their condition,
    and no chain of parents loops back on itself."""
    by_code = {q.code: q for q in questions}
    for question in questions:
        if question.parent is None:
            continue
        parent = by_code.get(question.parent)
        if parent is None:
            problems.append(
                f"{place}: sub-question {question.code} is an orphan: its parent "
                f"{question.parent} is not a question of this indicator"
            )
            continue
        kind = answer_types.TYPES.get(parent.answer_type)
        allowed = kind.keys(parent) if kind else None
        for answer in question.shown_when:
            if allowed is not None and answer not in allowed:
                problems.append(
                    f"{place}: {question.code} is shown when {parent.code} is {answer!r}, "
                    f"which it cannot be (it can be {', '.join(sorted(allowed))})"
                )
        chain, current = [question.code], parent
        while current is not None and current.parent is not None:
            if current.code in chain:
                problems.append(
                    f"{place}: sub-questions form a cycle: {' -> '.join([*chain, current.code])}"
                )
                break
            chain.append(current.code)
            current = by_code.get(current.parent)


def _indicator(node, place, problems, seen) -> Indicator:
    if not isinstance(node, dict):
        problems.append(f"{place}: an indicator must be an object")
        return Indicator("", "", 0.0)
    code, place = _node_code(node, "indicator", place, problems, seen)
    questions: list[Question] = []
    for i, q in enumerate(node.get("questions") or []):
        questions += _question(q, f"{place} question {i + 1}", problems, seen)
    _check_parents(questions, place, problems)
    subs = tuple(
        _indicator(s, f"{place} sub-indicator {i + 1}", problems, seen)
        for i, s in enumerate(node.get("sub_indicators") or [])
    )
    if not questions and not subs:
        problems.append(f"{place}: an indicator needs questions or sub-indicators")
    if questions and subs:
        problems.append(f"{place}: an indicator has either questions or sub-indicators, not both")
    return Indicator(
        code=code,
        name=_text(node, "name", place, problems),
        weight=_number(node.get("weight", 1), place, problems),
        questions=tuple(questions),
        sub_indicators=subs,
    )


def parse(document: dict) -> Framework:
    """A validated Framework, or FrameworkError listing every problem found."""
    problems: list[str] = []
    if not isinstance(document, dict):
        raise FrameworkError(["the framework must be a JSON object"])
    seen: set[str] = set()
    pillars = []
    _unknown_keys(document, "framework", "framework", problems)
    for i, node in enumerate(document.get("pillars") or []):
        place = f"pillar {i + 1}"
        if not isinstance(node, dict):
            problems.append(f"{place}: a pillar must be an object")
            continue
        code, place = _node_code(node, "pillar", place, problems, seen)
        indicators = tuple(
            _indicator(ind, f"{place} indicator {j + 1}", problems, seen)
            for j, ind in enumerate(node.get("indicators") or [])
        )
        if not indicators:
            problems.append(f"{place}: a pillar needs indicators")
        pillars.append(
            Pillar(
                code,
                _text(node, "name", place, problems),
                _number(node.get("weight", 1), place, problems),
                indicators,
            )
        )
    if not pillars:
        problems.append("the framework has no pillars")
    tiers = _tiers(document.get("tiers") or [], problems)
    partial = _number(document.get("partial_value", 0.5), "framework", problems, "partial_value")
    framework = Framework(
        code=_text(document, "code", "framework", problems),
        name=_text(document, "name", "framework", problems),
        pillars=tuple(pillars),
        tiers=tiers,
        scoring_rule=document.get("scoring_rule", "gci_weighted_sum"),
        partial_value=partial,
        placeholder_weights=bool(document.get("placeholder_weights", True)),
        publish_ranks=bool(document.get("publish_ranks", True)),
    )
    if not problems:
        problems += _reachability(framework)
    if problems:
        raise FrameworkError(list(dict.fromkeys(problems)))
    derive_points(framework)
    return framework


def _tiers(raw, problems) -> tuple[Tier, ...]:
    tiers = []
    for i, t in enumerate(raw):
        place = f"tier {i + 1}"
        if not isinstance(t, dict) or not isinstance(t.get("tier"), int):
            problems.append(f"{place}: needs a tier number, a name and a min_score")
            continue
        tiers.append(
            Tier(
                t["tier"],
                str(t.get("name", "")),
                _number(t.get("min_score"), place, problems, "min_score"),
            )
        )
    tiers.sort(key=lambda t: -t.min_score)
    if tiers and tiers[-1].min_score != 0:
        problems.append("tiers: the lowest tier must start at 0, or some scores have no tier")
    if len({t.min_score for t in tiers}) != len(tiers):
        problems.append("tiers: two tiers start at the same score")
    return tuple(tiers)


def _reachability(framework: Framework) -> list[str]:
    """Every pillar, indicator and question group must be able to earn its share."""
    problems = []
    if sum(p.weight for p in framework.pillars) == 0:
        problems.append("the pillars' weights are all 0")
    for pillar in framework.pillars:
        if pillar.weight and not any(_indicator_can_score(i) for i in pillar.indicators):
            problems.append(f"pillar {pillar.code}: cannot reach its maximum (no positive weight)")
        for indicator in _all_indicators(pillar.indicators):
            if indicator.weight and not _indicator_can_score(indicator):
                problems.append(
                    f"indicator {indicator.code}: weight {indicator.weight} but nothing in it "
                    "can earn points, so its pillar cannot reach its maximum"
                )
    return problems


def _all_indicators(indicators):
    for indicator in indicators:
        yield indicator
        yield from _all_indicators(indicator.sub_indicators)


def _indicator_can_score(indicator: Indicator) -> bool:
    if indicator.sub_indicators:
        return any(s.weight and _indicator_can_score(s) for s in indicator.sub_indicators)
    return any(q.weight and q.scored for q in indicator.questions)
