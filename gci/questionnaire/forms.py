"""HTML forms of the questionnaire pages (WTForms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from gci.questionnaire import workflow


class EvidenceForm(FlaskForm):
    file = FileField(_l("File"))
    url = StringField(
        _l("or a web address (http or https)"), validators=[Optional(), Length(max=2000)]
    )
    description = TextAreaField(
        _l("Description: what it is and where it shows this"),
        validators=[InputRequired(), Length(max=500)],
    )


class MoveForm(FlaskForm):
    action = HiddenField(validators=[InputRequired(), AnyOf(workflow.ACTIONS)])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=2000)])


class CycleSettingsForm(FlaskForm):
    opens_on = DateField(_l("Opens on"), validators=[Optional()])
    closes_on = DateField(_l("Closes on"), validators=[Optional()])
    show_whatif = BooleanField(_l("Show focal points the score of their current answers"))

    def validate_closes_on(self, field):
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The closing date comes before the opening date."))


class ReviewForm(FlaskForm):
    decision = HiddenField(validators=[InputRequired(), AnyOf(("accept", "clarify", "correct"))])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])
    value = StringField(_l("Corrected answer"), validators=[Optional(), Length(max=5000)])


class ReplyForm(FlaskForm):
    comment = TextAreaField(_l("Your reply"), validators=[InputRequired(), Length(max=2000)])


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file with the columns question_code and answer"),
        validators=[FileRequired(_l("Choose a CSV file."))],
    )
