"""The forms of the master scenario events list import: the upload, and the preview's button
that sends the same CSV text back to be read again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional


class MselForm(FlaskForm):
    title = StringField(_l("Scenario title"), validators=[InputRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary (optional)"), validators=[Optional(), Length(max=2000)])
    file = FileField(
        _l("CSV file"),
        validators=[FileAllowed(["csv", "txt"], _l("A CSV file (.csv) only."))],
    )
    text = TextAreaField(_l("Or paste the CSV text"), validators=[Optional()])


class MselCreateForm(FlaskForm):
    """The preview's button: the same CSV text and facts, read again on the server."""

    title = HiddenField(validators=[InputRequired(), Length(max=200)])
    summary = HiddenField(validators=[Optional(), Length(max=2000)])
    csv = HiddenField(validators=[InputRequired()])
