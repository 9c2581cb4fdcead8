"""Forms of the after-drill pages: the hot wash, rating overrides, improvement items and the
report marking."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from drills.aftermath import hotwash, plan, ratings
from drills.aftermath.marking import MARKINGS


class ButtonForm(FlaskForm):
    """A one-click action: only the CSRF token."""


class HotwashForm(FlaskForm):
    went_well = TextAreaField(
        _l("What went well?"), validators=[Length(max=hotwash.HOTWASH_TEXT_MAX)]
    )
    went_badly = TextAreaField(
        _l("What did not go well, and what would you change?"),
        validators=[Length(max=hotwash.HOTWASH_TEXT_MAX)],
    )
    rating = RadioField(
        _l("Your overall rating of the drill (1 poor, 5 excellent)"),
        choices=[SelectChoice(str(r), str(r)) for r in hotwash.HOTWASH_RATINGS],
        validators=[InputRequired(message=_l("Rate the drill from 1 (poor) to 5 (excellent)."))],
    )
    anonymous = BooleanField(
        _l("Answer anonymously: neither your name nor your team is kept with the answer")
    )


class RatingForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=int)
    objective_id = SelectField(_l("Objective"))
    rating = SelectField(_l("Rating"))  # choices: set per request, in the reader's language
    reason = TextAreaField(
        _l("Reason (required)"),
        validators=[
            InputRequired(message=_l("Give the reason for this rating.")),
            Length(max=ratings.REASON_MAX),
        ],
    )


class ImprovementForm(FlaskForm):
    capability = StringField(_l("Capability"), validators=[InputRequired(), Length(max=200)])
    issue = TextAreaField(
        _l("Issue or area for improvement"), validators=[InputRequired(), Length(max=2000)]
    )
    corrective_action = TextAreaField(
        _l("Corrective action"), validators=[InputRequired(), Length(max=2000)]
    )
    capability_element = SelectField(
        _l("Capability element"),
        choices=[SelectChoice("", "—")]
        + [SelectChoice(k, label) for k, label in plan.CAPABILITY_ELEMENTS.items()],
    )
    responsible_org = StringField(
        _l("Responsible organisation"), validators=[InputRequired(), Length(max=200)]
    )
    contact = StringField(_l("Point of contact"), validators=[Optional(), Length(max=200)])
    start_date = DateField(_l("Start date"), validators=[Optional()])
    completion_date = DateField(_l("Completion date"), validators=[Optional()])
    objective_id = SelectField(_l("Objective (optional)"))
    team_id = SelectField(_l("Team (optional)"), coerce=int)
    version = HiddenField()


class MarkingForm(FlaskForm):
    marking = SelectField(
        _l("Handling marking of the reports"),
        choices=[SelectChoice(m, m) for m in MARKINGS],
    )


class VersionForm(FlaskForm):
    """A delete button: the CSRF token and the version the trainer saw."""

    version = IntegerField(validators=[InputRequired()])
