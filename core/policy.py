"""Who may do what to which object: every authorization rule of the platform lives here.

Views declare the action they perform with `@allow("action")`; the decorator checks the
signed-in user's role. Where the answer depends on the object (a focal point reads only
their own country, a participant only their own team), the view loads the object and calls
`authorize("action", obj)`. Object checks read only attributes and relationships of the
object they are given, so they need no query of their own. A test walks every route and
fails if one has no declared action, and another walks the whole role x object matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import abort
from flask_login import current_user

from core.models import Role


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role] = frozenset()  # empty: any signed-in user
    public: bool = False  # no sign-in needed
    check: Callable[[object, object], bool] | None = None  # (user, obj) -> allowed

    def permits_role(self, user) -> bool:
        if self.public:
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        return not self.roles or user.role in self.roles


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


STAFF = _roles(Role.admin, Role.analyst)
EXERCISE_STAFF = _roles(Role.admin, Role.trainer)


def _own_country(user, country) -> bool:
    return user.role in STAFF or user.country_id == country.id


def _observes(user, drill) -> bool:
    return user.role in EXERCISE_STAFF or any(o.user_id == user.id for o in drill.observers)


def _may_answer(user, questionnaire) -> bool:
    """A focal point answers their own country's questionnaire; analysts and admins only one
    in secondary research (filled from public sources for a country that does not answer)."""
    if user.role == Role.focal_point:
        return user.country_id == questionnaire.country_id
    return user.role in STAFF and questionnaire.secondary_research


def _in_drill(user, drill) -> bool:
    if _observes(user, drill):
        return True
    if user.role == Role.evaluator:
        return any(link.user_id == user.id for link in drill.evaluators)
    if user.role == Role.participant:
        return any(m.user_id == user.id for team in drill.teams for m in team.members)
    return False


def _in_team(user, team) -> bool:
    if user.role == Role.participant:
        return any(m.user_id == user.id for m in team.members)
    return _in_drill(user, team.drill)


def _evaluates(user, drill) -> bool:
    if user.role in EXERCISE_STAFF:
        return True
    return user.role == Role.evaluator and any(e.user_id == user.id for e in drill.evaluators)


def _sees_scoreboard(user, drill) -> bool:
    if user.role == Role.participant and not drill.scoreboard_visible:
        return False
    return _in_drill(user, drill)


def _reads_drill_report(user, drill) -> bool:
    """The whole drill's report: staff, the drill's observers and its evaluators; teams read
    only their own report."""
    return _observes(user, drill) or _evaluates(user, drill)


def _reads_team_report(user, team) -> bool:
    return user.role in EXERCISE_STAFF or _in_own_team(user, team)


def _in_own_team(user, team) -> bool:
    return any(m.user_id == user.id for m in team.members)


def _own_token(user, token) -> bool:
    return token.user_id == user.id


RULES: dict[str, Rule] = {
    "public": Rule(public=True),
    "account.manage": Rule(),
    "token.revoke": Rule(check=_own_token),
    "users.manage": Rule(_roles(Role.admin)),
    "audit.read": Rule(_roles(Role.admin)),
    "outbox.read": Rule(_roles(Role.admin)),
    "outbox.retry": Rule(_roles(Role.admin)),
    "gci.countries.list": Rule(STAFF),
    "gci.country.read": Rule(STAFF | {Role.focal_point}, check=_own_country),
    "gci.framework.edit": Rule(_roles(Role.admin)),
    "gci.results.manage": Rule(_roles(Role.admin)),
    "gci.snapshots.read": Rule(STAFF),
    "gci.whatif": Rule(STAFF | {Role.focal_point}),
    # The questionnaire: a focal point reads, answers and hands in only their own country's;
    # analysts and admins read every country's and move it through the review.
    "gci.questionnaire.mine": Rule(_roles(Role.focal_point)),
    "gci.questionnaire.read": Rule(STAFF | {Role.focal_point}, check=_own_country),
    "gci.questionnaire.answer": Rule(STAFF | {Role.focal_point}, check=_may_answer),
    "gci.questionnaire.move": Rule(STAFF | {Role.focal_point}, check=_own_country),
    "gci.questionnaire.review": Rule(STAFF),
    "gci.cycle.settings": Rule(_roles(Role.admin)),
    "scenarios.author": Rule(EXERCISE_STAFF),
    # Any role may be made an observer of a drill, so any signed-in user lists drills (the
    # list shows only the drills they may read).
    "drills.list": Rule(),
    "drill.read": Rule(check=_in_drill),
    "drills.create": Rule(EXERCISE_STAFF),
    "drill.setup": Rule(EXERCISE_STAFF),
    # The control room without its buttons: trainers, admins and the drill's observers.
    "drill.observe": Rule(check=_observes),
    "drill.control": Rule(EXERCISE_STAFF),
    "comcheck.confirm": Rule(_roles(Role.participant), check=_in_own_team),
    "team.read": Rule(check=_in_team),
    # Only the team's own members answer for it: staff watch, they never play.
    "team.play": Rule(_roles(Role.participant), check=_in_own_team),
    "drill.evaluate": Rule(EXERCISE_STAFF | {Role.evaluator}, check=_evaluates),
    "drill.scoreboard": Rule(check=_sees_scoreboard),
    # After the drill: each participant answers the hot wash for their own team's drill;
    # trainers and admins read the answers, edit the improvement plan and the report marking.
    "drill.hotwash.answer": Rule(_roles(Role.participant), check=_in_own_team),
    "drill.hotwash.read": Rule(EXERCISE_STAFF),
    "drill.report.edit": Rule(EXERCISE_STAFF),
    # After-action reports: the page lists what each reader may open (drills/reports/views.py).
    "drill.reports": Rule(check=_in_drill),
    "drill.report.read": Rule(check=_reads_drill_report),
    "team.report.read": Rule(check=_reads_team_report),
    "drill.report.generate": Rule(EXERCISE_STAFF),
    "drill.export": Rule(EXERCISE_STAFF),
}

# Endpoints that Flask and flask-smorest register themselves, declared public here.
PUBLIC_ENDPOINTS = frozenset({"static", "api-docs.openapi_json"})


def can(user, action: str, obj=None) -> bool:
    rule = RULES[action]
    if not rule.permits_role(user):
        return False
    if rule.check is None:
        return True
    return obj is not None and rule.check(user, obj)


def authorize(action: str, obj, *, conceal: bool = False) -> None:
    """Stop the request with 403 unless the current user may do `action` to `obj`; with
    `conceal`, with 404, so that guessing ids tells nothing (another team's pages)."""
    if obj is None:
        abort(404)
    if not can(current_user, action, obj):
        abort(404 if conceal else 403)


def allow(action: str):
    """Declare the action a view performs and refuse users whose role may never do it."""
    rule = RULES[action]  # an unknown action fails at import time, not in production

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not rule.public and not current_user.is_authenticated:
                from core.auth import login_manager

                return login_manager.unauthorized()
            if not rule.permits_role(current_user):
                abort(403)
            return view(*args, **kwargs)

        guarded.policy_action = action
        return guarded

    return decorator


def declared_action(view) -> str | None:
    """The action a view function declared with @allow (wrappers copy it up with wraps)."""
    return getattr(view, "policy_action", None)
