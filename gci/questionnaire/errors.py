"""Why a questionnaire use case cannot be carried out. Each error is a core.errors
DomainError with the HTTP status that fits, so a route lets it propagate and the one handler
answers (a page, or problem+json); pages that go back to a form catch it to flash it."""

from __future__ import annotations

from flask_babel import gettext as _

from core.domain import DomainError


class QuestionnaireError(DomainError):
    """A request on a questionnaire that cannot be carried out."""

    status = 422


class NotOpen(QuestionnaireError):
    status = 409


class ReadOnly(QuestionnaireError):
    """Answers cannot change in the questionnaire's present state."""

    status = 409

    def __init__(self, message: str, state: str):
        super().__init__(message)
        self.state = state

    def problem_fields(self) -> dict:
        return {"state": self.state}


class StaleAnswer(QuestionnaireError):
    """The answer changed since the version the client started from; `current` is the
    stored answer (a Stored or None)."""

    status = 409

    def __init__(self, current):
        super().__init__("This answer was changed in the meantime.")
        self.current = current

    def problem_fields(self) -> dict:
        current = self.current
        return {
            "value": current.value if current else None,
            "version": current.version if current else 0,
        }


class TooLarge(QuestionnaireError):
    status = 413


class WrongType(QuestionnaireError):
    status = 415


class Incomplete(QuestionnaireError):
    status = 409

    def __init__(self, missing: list):
        super().__init__(_("%(n)s answers or pieces of evidence are missing.", n=len(missing)))
        self.missing = missing
