"""HTML forms of the shell (Flask-WTF: CSRF token and server-side validation)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from core.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from core.models import Role

ROLE_LABELS = {
    Role.admin: _l("Administrator"),
    Role.analyst: _l("Analyst"),
    Role.focal_point: _l("Focal point"),
    Role.trainer: _l("Trainer"),
    Role.evaluator: _l("Evaluator"),
    Role.participant: _l("Participant"),
}

OUTBOX_STATUS_LABELS = {
    "pending": _l("Waiting"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "cancelled": _l("Cancelled"),
}
# What each kind of e-mail is (outbox.enqueue's `kind`); an unknown kind shows as it is.
OUTBOX_KIND_LABELS = {
    "invitation": _l("Invitation"),
    "gci.reminder": _l("GCI reminder"),
    "drill.inject": _l("Drill inject"),
    "drill.comcheck": _l("Contact check"),
    "password_reset": _l("Password reset"),
    "notice": _l("Notice"),
}


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
    )


class UserEditForm(FlaskForm):
    role = SelectField(
        _l("Role"), choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]
    )
    country = SelectField(_l("Country (focal points only)"))  # choices: set by the view
    active = BooleanField(_l("The account may sign in"))


class TokenForm(FlaskForm):
    name = StringField(
        _l("What the token is for"), validators=[DataRequired(), Length(min=1, max=80)]
    )


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(
        _l("Role"), choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]
    )
    country = StringField(
        _l("Country (ISO alpha-3, focal points only)"), validators=[Optional(), Length(max=3)]
    )
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
    )


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(
        _l("Role"), choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]
    )
    # choices: the countries, set by the view
    country = SelectField(_l("Country (required for focal points)"), choices=[])

    def validate_country(self, field):
        if self.role.data == Role.focal_point and not field.data:
            raise ValidationError(_l("A focal point must be bound to a country."))
        if self.role.data != Role.focal_point and field.data:
            raise ValidationError(
                _l("Only focal points are bound to a country: leave it empty for this role.")
            )


class AcceptInvitationForm(FlaskForm):
    name = StringField(
        _l("Your name, as others will see it"), validators=[DataRequired(), Length(max=120)]
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ButtonForm(FlaskForm):
    """A form that is only a button: it carries the CSRF token."""


class TimeZoneForm(FlaskForm):
    time_zone = StringField(
        _l("Time zone (for example Africa/Nairobi, Europe/Paris, UTC)"),
        validators=[DataRequired(), Length(max=64)],
    )
