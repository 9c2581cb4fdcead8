"""The test suite's own rule: no test module imports another test module. Builders shared by
several modules live in tests/factories.py (browser page helpers in tests/browser/pages.py),
fixtures in a conftest.py, so each test module can be run, moved or deleted on its own."""

import ast

from tests.conftest import ROOT


def imported_modules(source: str, package: str):
    """Dotted names of every module (and name) the source imports, at any depth (inside
    functions too); `package` resolves relative imports."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1] if node.level else [])
            base = ".".join(filter(None, [base, node.module or ""]))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def test_modules_imported(source: str, package: str) -> list[str]:
    names = imported_modules(source, package)
    return sorted({n for n in names if n.startswith("tests.") and "test_" in n})


test_modules_imported.__test__ = False  # a helper, not a test


def test_no_test_module_imports_another_test_module():
    offenders = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        package = ".".join(path.relative_to(ROOT).parent.parts)
        if names := test_modules_imported(path.read_text(), package):
            offenders[str(path.relative_to(ROOT))] = names
    assert offenders == {}, "move shared builders to tests/factories.py, fixtures to conftest"


def test_the_check_sees_every_form_of_import():
    source = """
import tests.drills.test_play
from tests.gci.test_api import cycle
from tests import factories, test_top
from . import test_pages
from .frameworks import small


def later():
    from tests.scenarios.test_artifacts import PNG
"""
    assert test_modules_imported(source, "tests.gci") == [
        "tests.drills.test_play",
        "tests.gci.test_api",
        "tests.gci.test_api.cycle",
        "tests.gci.test_pages",
        "tests.scenarios.test_artifacts",
        "tests.scenarios.test_artifacts.PNG",
        "tests.test_top",
    ]
