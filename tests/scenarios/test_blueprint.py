"""The scenarios blueprint is listed in one place, and no other package reaches its views."""

import ast
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_view_modules_do_not_register_routes_themselves():
    for path in (ROOT / "scenarios").rglob("*.py"):
        text = path.read_text()
        if path.name != "api.py":  # flask-smorest: its decorators carry the schemas
            assert not any(f"@bp.{verb}(" in text for verb in ("route", "get", "post")), path
        assert "from scenarios.blueprint" not in text, path


def test_no_other_package_imports_scenario_views():
    for package in ("core", "gci", "drills"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scenarios"):
                    names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                    assert not any(n.endswith(("views", "editor")) for n in names), path


def test_every_scenario_page_is_a_rule_of_the_blueprint(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("scenarios.")]
    source = (ROOT / "scenarios" / "blueprint.py").read_text()
    assert len(rules) == source.count("bp.add_url_rule(") == 28
