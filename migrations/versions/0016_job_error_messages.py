"""job errors: stored untranslated (msgid and arguments), translated when shown

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows keep their message in ``error``; the pages still show it.
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("error_key", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("error_args", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade():
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("error_args")
        batch_op.drop_column("error_key")
