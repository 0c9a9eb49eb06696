"""clip key facts: the subtitle lines a merchant picks for the publish kit's knowledge card

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("clip") as batch_op:
        batch_op.add_column(
            sa.Column("key_facts", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade():
    with op.batch_alter_table("clip") as batch_op:
        batch_op.drop_column("key_facts")
