"""HTML forms of the cycle pages: editing a framework node, starting a new cycle."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional


class NodeForm(FlaskForm):
    label = TextAreaField(
        _l("Name or question text"), validators=[InputRequired(), Length(max=2000)]
    )
    help_text = TextAreaField(_l("Help text"), validators=[Optional(), Length(max=4000)])
    weight = FloatField(
        _l("Weight (relative to its siblings)"),
        validators=[InputRequired(), NumberRange(min=0, max=1e6)],
    )


class CloneForm(FlaskForm):
    cycle_code = StringField(_l("New cycle code"), validators=[InputRequired(), Length(2, 32)])
    name = StringField(_l("Cycle name"), validators=[InputRequired(), Length(max=200)])
    year = StringField(_l("Year"), validators=[InputRequired(), Length(4, 4)])
