"""The form every GCI feature shares: a button that changes something (the CSRF token
only). The forms of one feature live in it (gci/cycles/forms.py, the questionnaire's own)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
