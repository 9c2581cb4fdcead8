"""HTML forms of the scenario pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from scenarios.format import model


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


def _choices(values, blank=None):
    options = [SelectChoice(v, v) for v in values]
    return ([SelectChoice("", blank)] if blank is not None else []) + options


class _Revisioned(FlaskForm):
    revision = HiddenField()


class FactsForm(_Revisioned):
    slug = StringField(
        _l("Id (lowercase letters, digits, dashes)"), validators=[Optional(), Length(max=80)]
    )
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[InputRequired(), Length(max=2000)])
    audience = StringField(_l("Audience"), validators=[Optional(), Length(max=300)])
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), validators=[InputRequired(), NumberRange(1, 10_000)]
    )
    difficulty = SelectField(
        _l("Difficulty"), choices=_choices(model.DIFFICULTIES), default="intermediate"
    )
    tlp = SelectField(_l("Handling (TLP)"), choices=_choices(model.TLP), default="AMBER")
    tags = StringField(_l("Tags (comma-separated)"), validators=[Optional(), Length(max=500)])
    languages = StringField(
        _l("Languages (codes, comma-separated)"), validators=[Optional(), Length(max=40)]
    )


class ObjectiveForm(_Revisioned):
    id = StringField(_l("Id"), validators=[InputRequired(), Length(max=40)])
    text = TextAreaField(_l("Objective"), validators=[InputRequired(), Length(max=2000)])
    capability = SelectField(
        _l("Capability (NIST CSF 2.0)"), choices=_choices(model.CAPABILITIES), default="Respond"
    )
    gci_pillar = SelectField(_l("GCI pillar"), choices=_choices(model.PILLARS), default="TEC")


class InjectForm(_Revisioned):
    id = StringField(_l("Id"), validators=[InputRequired(), Length(max=40)])
    offset_minutes = IntegerField(
        _l("Offset from the start (minutes)"), validators=[InputRequired(), NumberRange(0, 100_000)]
    )
    story_time = StringField(_l("Time in the story"), validators=[Optional(), Length(max=60)])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    channel = SelectField(_l("Channel"), choices=_choices(model.CHANNELS), default="email")
    sender = StringField(_l("Sender"), validators=[Optional(), Length(max=200)])
    body = TextAreaField(_l("Body (Markdown)"), validators=[Length(max=model.MAX_BODY_CHARS)])
    audience_tags = StringField(
        _l("Only for teams tagged (comma-separated; empty: every team)"),
        validators=[Optional(), Length(max=300)],
    )
    objectives = StringField(
        _l("Objectives served (ids, comma-separated)"), validators=[Optional(), Length(max=300)]
    )
    condition_response = StringField(
        _l("Condition: response (inject id.response id)"), validators=[Optional(), Length(max=81)]
    )
    condition_is = SelectField(
        _l("Condition: the team's result"),
        choices=_choices(model.CONDITIONS, blank="—"),
        default="",
    )
    condition_minutes = IntegerField(
        _l("Condition: minutes (for unanswered)"), validators=[Optional(), NumberRange(1, 100_000)]
    )


class ResponseForm(_Revisioned):
    id = StringField(_l("Id"), validators=[InputRequired(), Length(max=40)])
    prompt = TextAreaField(_l("Prompt"), validators=[InputRequired(), Length(max=2000)])
    type = SelectField(
        _l("Answer type"), choices=_choices(model.RESPONSE_TYPES), default="free_text"
    )
    scoring = SelectField(_l("Scoring"), choices=_choices(("auto", "evaluator")), default="auto")
    answer = StringField(
        _l("Expected answer (choices: option keys, comma-separated)"),
        validators=[Optional(), Length(max=500)],
    )
    match = SelectField(
        _l("Match (exact answers)"), choices=_choices(model.MATCHES), default="exact"
    )
    options = TextAreaField(
        _l("Options, one per line as key: label"), validators=[Optional(), Length(max=4000)]
    )
    tolerance = StringField(_l("Tolerance (numbers)"), validators=[Optional(), Length(max=20)])
    points = StringField(_l("Points"), validators=[InputRequired(), Length(max=20)])
    criteria = TextAreaField(
        _l("Criteria for the evaluator, one per line"), validators=[Optional(), Length(max=4000)]
    )
    decay_full = StringField(
        _l("Full points for (minutes after release)"), validators=[Optional(), Length(max=20)]
    )
    decay_zero = StringField(
        _l("Down to the floor at (minutes)"), validators=[Optional(), Length(max=20)]
    )
    decay_floor = StringField(
        _l("Floor (share of the points, 0 to 1)"), validators=[Optional(), Length(max=20)]
    )
    hints = TextAreaField(
        _l("Hints, one per line as cost: text"), validators=[Optional(), Length(max=4000)]
    )
    objectives = StringField(
        _l("Objectives scored (ids, comma-separated)"), validators=[Optional(), Length(max=300)]
    )
    attempts = IntegerField(
        _l("Submissions allowed while not yet right"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=20)],
    )


TEXT_KINDS = ("log", "ioc_list", "document")


class ArtifactUploadForm(_Revisioned):
    """A binary artifact; its type and kind are told by the content once uploaded."""

    file = FileField(
        _l("File (PNG or JPEG image, pcap or pcapng capture, PDF document; at most 2 MB)"),
        validators=[FileRequired(_l("Choose a file."))],
    )
    name = StringField(
        _l("Name shown to teams (empty: the file's name)"),
        validators=[Optional(), Length(max=120)],
    )


class TextArtifactForm(_Revisioned):
    """A text artifact a trainer types or pastes: a log excerpt, a list of IOCs, a note."""

    name = StringField(_l("File name"), validators=[InputRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=_choices(TEXT_KINDS), default="log")
    content = TextAreaField(
        _l("Content (text, at most 256 KB)"),
        validators=[InputRequired(), Length(max=model.MAX_ARTIFACT_BYTES)],
    )
