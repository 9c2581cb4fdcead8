"""Demo data: the scenario library that ships in scenarios/library/, published."""

from __future__ import annotations

from sqlmodel import Session

from scenarios.authoring import service


def load(session: Session) -> None:
    service.load_library(session)
