"""Read YAML (or JSON, which YAML reads too) and remember the line of every value, so that
each validation problem can name its line as well as its field. Pure."""

from __future__ import annotations

import yaml

from core.domain import DomainError

Path = tuple  # ("injects", 3, "responses", 0, "answer")
# libyaml's loader when PyYAML has it (about 5x faster); one parse gives nodes and data.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FormatError(DomainError):
    """The text is not YAML or JSON (422); `problems` says where."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def load(text: str) -> tuple[object, dict[Path, int]]:
    """(data, {path: 1-based line}); FormatError when the text is not YAML/JSON."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise FormatError([f"{where}not valid YAML or JSON ({problem})"]) from None
    finally:
        loader.dispose()
    if node is None:
        raise FormatError(["the file is empty"])
    lines: dict[Path, int] = {}
    _walk(node, (), lines)
    return data, lines


def _walk(node, path: Path, lines: dict[Path, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _walk(value, (*path, key.value), lines)
            lines[(*path, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of a path, or of its nearest ancestor that has one."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())
