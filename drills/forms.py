"""Forms shared by the drill pages."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ControlForm(FlaskForm):
    """A control-room button: only the CSRF token."""
