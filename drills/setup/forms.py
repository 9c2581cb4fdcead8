"""Forms of the drill setup pages. Fields check only what a browser sends; the rules of a
drill (bounds, time zones, slugs, states) live in drills/setup/, which says what is wrong."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from drills.setup.comcheck import MAX_COMCHECK_LENGTH

LOCAL_TIME = "%Y-%m-%dT%H:%M"


class DrillForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    scenario_version = SelectField(_l("Scenario (published version)"), coerce=int)
    starts_at = DateTimeLocalField(
        _l("Starts at (in the time zone below)"), format=LOCAL_TIME, validators=[DataRequired()]
    )
    time_zone = StringField(
        _l("Time zone (for example Africa/Nairobi, Europe/Paris, UTC)"),
        validators=[DataRequired(), Length(max=64)],
    )
    compression = FloatField(
        _l("Time compression (1 = real time, 2 = twice as fast …)"),
        default=1.0,
        validators=[InputRequired()],
    )
    registration_opens = DateTimeLocalField(
        _l("Registration opens (optional)"), format=LOCAL_TIME, validators=[Optional()]
    )
    registration_closes = DateTimeLocalField(
        _l("Registration closes (optional)"), format=LOCAL_TIME, validators=[Optional()]
    )
    scoreboard_visible = BooleanField(_l("Teams see the scoreboard"))
    scoreboard_freeze_minutes = IntegerField(
        _l("Freeze the scoreboard for the last minutes (0: never)"),
        default=0,
        validators=[InputRequired()],
    )
    email_injects = BooleanField(_l("Injects of the e-mail channel also go out by e-mail"))


class TeamForm(FlaskForm):
    country = SelectField(_l("Country"), validators=[DataRequired()])
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=160)])
    tags = StringField(
        _l("Tags (comma-separated, like sector-health, region-east)"),
        validators=[Optional(), Length(max=1000)],
    )


class ImportTeamsForm(FlaskForm):
    rows = TextAreaField(
        _l("One team per line: country code, team name, tags (tags with commas in quotes)"),
        validators=[DataRequired(), Length(max=200_000)],
    )


class PersonForm(FlaskForm):
    email = EmailField(
        _l("E-mail (someone without an account gets an invitation)"),
        validators=[DataRequired(), Length(max=254)],
    )


class ComcheckForm(FlaskForm):
    message = TextAreaField(
        _l("Message the participants confirm"),
        validators=[DataRequired(), Length(max=MAX_COMCHECK_LENGTH)],
    )


class ButtonForm(FlaskForm):
    """A one-click action: only the CSRF token."""
