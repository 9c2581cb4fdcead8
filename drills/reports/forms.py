"""Forms of the after-action reports page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from drills.aftermath.marking import MARKINGS


class GenerateForm(FlaskForm):
    scope = SelectField(_l("Report"), choices=[])
    marking = SelectField(_l("Handling marking"), choices=[SelectChoice(m, m) for m in MARKINGS])
