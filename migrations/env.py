"""Alembic environment: one history for the whole app, metadata from every package's models."""

from alembic import context
from sqlmodel import SQLModel

import core.models  # noqa: F401 - registers the tables on SQLModel.metadata
import drills.models  # noqa: F401
import gci.models  # noqa: F401
import scenarios.models  # noqa: F401
from core.db import make_engine
from core.migrate import include_name

config = context.config


def database_url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return url
    # Plain `alembic upgrade head` from a shell: same settings as the app.
    from core import create_app

    return create_app().config["DATABASE_URL"]


def configure(**kwargs) -> None:
    context.configure(
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite can only ALTER by copying the table
        compare_type=True,
        include_name=include_name,
        **kwargs,
    )


if context.is_offline_mode():
    configure(url=database_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    else:
        engine = make_engine(database_url())
        with engine.connect() as connection:
            configure(connection=connection)
            with context.begin_transaction():
                context.run_migrations()
        engine.dispose()
