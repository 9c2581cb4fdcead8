"""drill and team revision stamps (the console's caches are keyed by them)

Revision ID: 9e47c1f05c70
Revises: ef370312056f
Create Date: 2026-11-23 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString
from alembic import op


revision: str = '9e47c1f05c70'
down_revision: str | None = 'ef370312056f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('drill', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=16), server_default='0', nullable=False))
    with op.batch_alter_table('drill_team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=16), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('drill_team', schema=None) as batch_op:
        batch_op.drop_column('revision')
    with op.batch_alter_table('drill', schema=None) as batch_op:
        batch_op.drop_column('revision')
