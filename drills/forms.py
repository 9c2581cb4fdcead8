"""Forms shared by the drill pages of several features (console, control room, reports)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ControlForm(FlaskForm):
    """A button: only the CSRF token."""
