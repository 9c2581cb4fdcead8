"""HTML forms of the scenario pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField


class ImportForm(FlaskForm):
    file = FileField(
        _l("Scenario file (YAML or JSON)"),
        validators=[
            FileRequired(),
            FileAllowed(["yaml", "yml", "json"], _l("YAML or JSON files only.")),
        ],
    )
    as_new = BooleanField(_l("Import as a new scenario even if its id exists"))


class PublishForm(FlaskForm):
    """The publish button: only the CSRF token."""
