"""What every domain package shares without Flask or a database session: the base of the
errors its use cases and pure rules raise, and the refusal that lists every reason."""

from __future__ import annotations


class DomainError(ValueError):
    """A use case that cannot be carried out, with a message a person can act on.

    Every domain's errors derive from it and set `status`, the HTTP answer that fits; routes
    let them propagate and core/errors.py answers them: a page with the message, or
    problem+json for the API and JSON clients. `problem_fields` adds machine-readable detail
    (the current version after a stale save, the moves a workflow allows)."""

    status = 422

    def __init__(self, message: str = "", *, status: int | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status

    def problem_fields(self) -> dict:
        return {}


class Refusals(DomainError):
    """A request refused for one or more reasons, all listed in `problems` (a form page flashes
    each); the message joins them."""

    def __init__(self, problems: list[str] | str, *, status: int | None = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems), status=status)
