"""Demo data for `make run`: countries and one user per staff role. Domain packages add theirs
(see create_app's demo loaders); loading twice changes nothing."""

from __future__ import annotations

from sqlmodel import Session, select

from core import accounts, countries
from core.models import Role, User

DEMO_PASSWORD = "cyberready-demo"  # noqa: S105 - printed by `make run`, demo databases only
DEMO_DOMAIN = "demo.example"


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


STAFF = (
    # (e-mail local part, name, role, country)
    ("admin", "Ada Admin", Role.admin, None),
    ("analyst", "Anil Analyst", Role.analyst, None),
    ("focal.point", "Fatuma Focal-Point", Role.focal_point, "KEN"),
    ("trainer", "Tomás Trainer", Role.trainer, None),
)


def has_demo_users(session: Session) -> bool:
    return session.exec(select(User).where(User.email == demo_email("admin"))).first() is not None


def load(session: Session) -> None:
    countries.sync(session)
    for local, name, role, country in STAFF:
        accounts.create_user(
            session,
            email=demo_email(local),
            name=name,
            role=role,
            password=DEMO_PASSWORD,
            country_iso3=country,
        )


def logins(session: Session) -> list[tuple[str, str]]:
    users = session.exec(select(User).where(User.email.endswith("@" + DEMO_DOMAIN)))
    return [
        (u.role, u.email) for u in sorted(users, key=lambda u: (list(Role).index(u.role), u.email))
    ]
