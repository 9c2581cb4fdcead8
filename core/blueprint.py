"""The shell's blueprint: every page route of core, in one list. The JSON API of accounts
and countries is a flask-smorest blueprint in core/api.py (its decorators carry the
schemas)."""

from __future__ import annotations

from flask import Blueprint

from core import account_views as account
from core import admin_views as admin
from core import views as shell

bp = Blueprint("core", __name__)
bp.app_context_processor(shell.layout_context)

# --- everyone ---
bp.add_url_rule("/", view_func=shell.index, methods=["GET"])
bp.add_url_rule("/countries", endpoint="countries", view_func=shell.countries_page, methods=["GET"])
bp.add_url_rule("/healthz", view_func=shell.healthz, methods=["GET"])

# --- one's own account ---
bp.add_url_rule("/login", view_func=account.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=account.logout, methods=["POST"])
bp.add_url_rule("/language", view_func=account.set_language, methods=["POST"])
bp.add_url_rule("/account", view_func=account.account, methods=["GET"])
bp.add_url_rule("/account/password", view_func=account.change_password, methods=["POST"])
bp.add_url_rule("/account/time-zone", view_func=account.set_time_zone, methods=["POST"])
bp.add_url_rule("/account/tokens", view_func=account.create_token, methods=["POST"])
bp.add_url_rule(
    "/account/tokens/<int:token_id>/revoke", view_func=account.revoke_token, methods=["POST"]
)
bp.add_url_rule("/invitations/<token>", view_func=account.invitation, methods=["GET", "POST"])
bp.add_url_rule("/password-reset", view_func=account.forgot_password, methods=["GET", "POST"])
bp.add_url_rule(
    "/password-reset/<token>", view_func=account.reset_password, methods=["GET", "POST"]
)

# --- admin ---
bp.add_url_rule("/admin/users", view_func=admin.users, methods=["GET", "POST"])
bp.add_url_rule("/admin/users/invite", view_func=admin.invite_user, methods=["GET", "POST"])
bp.add_url_rule("/admin/users/<int:user_id>", view_func=admin.edit_user, methods=["GET", "POST"])
bp.add_url_rule(
    "/admin/invitations/<int:invitation_id>/resend",
    view_func=admin.resend_invitation,
    methods=["POST"],
)
bp.add_url_rule("/admin/audit", view_func=admin.audit_log, methods=["GET"])
bp.add_url_rule("/admin/outbox", endpoint="outbox", view_func=admin.outbox_page, methods=["GET"])
bp.add_url_rule(
    "/admin/outbox/<int:message_id>/retry", view_func=admin.retry_message, methods=["POST"]
)
