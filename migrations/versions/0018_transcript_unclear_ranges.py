"""transcripts: the time ranges whose speech could not be recognised

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 11:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    # Existing transcripts were stored before unclear speech was detected: none recorded.
    with op.batch_alter_table("transcript", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unclear_ranges", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade():
    with op.batch_alter_table("transcript", schema=None) as batch_op:
        batch_op.drop_column("unclear_ranges")
