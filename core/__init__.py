"""The application shell: create_app wires configuration, database, security, auth, i18n,
the API and the three domain blueprints."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from core import config as config_module


class DatabaseId(IntegerConverter):
    """`<int:…>` in every route: an id the database can hold (PostgreSQL's `integer`, 32-bit
    signed; SQLite's is wider). A larger one cannot exist, so the route does not match (404)
    instead of overflowing in the query."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(overrides: dict | None = None, environ=None) -> Flask:
    """Build the app. `overrides` replace settings read from the environment (tests use it)."""
    app = Flask(
        __name__,
        instance_path=str(Path(__file__).resolve().parent.parent / "instance"),
        instance_relative_config=True,
    )
    settings = config_module.load(app.instance_path, environ)
    settings.update(overrides or {})
    config_module.check_production(settings)
    app.config.from_mapping(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.url_map.converters["int"] = DatabaseId

    from core import api, auth, cli, db, demo, errors, i18n, security
    from core.blueprint import bp as core_bp
    from drills import demo as drill_demo
    from drills import poll as drill_poll
    from drills.blueprint import bp as drill_bp
    from gci import autosave as gci_autosave
    from gci import blueprint as gci_blueprint
    from gci import demo as gci_demo
    from gci.results import api as gci_api
    from scenarios import api as scenario_api
    from scenarios import blueprint as scenario_blueprint
    from scenarios import demo as scenario_demo

    db.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    app.register_blueprint(core_bp)
    app.register_blueprint(gci_blueprint.bp)
    app.register_blueprint(gci_blueprint.results_bp)
    app.register_blueprint(scenario_blueprint.bp)
    app.register_blueprint(drill_bp)
    # The console's polls that find nothing changed (drills/poll.py) and the questionnaire's
    # autosaves (gci/autosave.py) are answered before Flask; the proxy's headers are read
    # before either, so that they see the client's address and scheme as Flask does.
    app.wsgi_app = drill_poll.PollShortcut(app, app.wsgi_app)
    app.wsgi_app = gci_autosave.AutosaveShortcut(app, app.wsgi_app)
    if app.config["BEHIND_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    api.init_app(app, domain_blueprints=[gci_api.bp, scenario_api.bp])
    cli.init_app(app)
    app.extensions["cyberready.demo_loaders"] = [
        demo.load,
        gci_demo.load,
        scenario_demo.load,
        drill_demo.load,
    ]
    return app
