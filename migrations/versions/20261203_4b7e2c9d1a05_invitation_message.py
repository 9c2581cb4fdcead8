"""invitation knows the e-mail with its current link (sending a new link cancels it)

Revision ID: 4b7e2c9d1a05
Revises: 9e47c1f05c70
Create Date: 2026-12-03 08:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '4b7e2c9d1a05'
down_revision: str | None = '9e47c1f05c70'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_invitation_message_id_outbox_message', 'outbox_message', ['message_id'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint('fk_invitation_message_id_outbox_message', type_='foreignkey')
        batch_op.drop_column('message_id')
