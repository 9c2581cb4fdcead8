"""GCI use cases (the questionnaire workflow arrives with its issue)."""

from __future__ import annotations

from sqlmodel import Session, select

from core.models import Country, Role, User


def focal_points(session: Session, country: Country) -> list[User]:
    query = select(User).where(User.country_id == country.id, User.role == Role.focal_point)
    return list(session.exec(query.order_by(User.name)))
