"""Forms of the evaluators' page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange


class ScoreForm(FlaskForm):
    points = FloatField(_l("Points"), validators=[InputRequired(), NumberRange(min=0)])
    note = TextAreaField(_l("Why (the team reads this)"), validators=[Length(max=2000)])


class ObservationForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=int)
    objective_id = SelectField(_l("Objective"))
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("strength", _l("Strength")),
            SelectChoice("improvement", _l("Area for improvement")),
        ],
    )
    text = TextAreaField(_l("Observation"), validators=[InputRequired(), Length(max=4000)])
