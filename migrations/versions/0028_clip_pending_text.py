"""clip pending text: title, description and key facts changed after approval, not yet submitted

An approved or published clip keeps the approved texts in its own columns (what the public
pages show); a merchant's later change waits here until it is submitted for review.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 14:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade():
    # A plain add (see 0015): a batch rebuild of the clip table would cascade-delete its rows'
    # cues and items.
    op.add_column("clip", sa.Column("pending_text", sa.JSON(), nullable=True))


def downgrade():
    op.drop_column("clip", "pending_text")  # not batch: no rebuild of the clip table
