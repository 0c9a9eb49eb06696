"""stream items: the items a recording sells, with their link numbers (the cart)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stream_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("link_number", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_stream_item_item_id_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisation.id"],
            name=op.f("fk_stream_item_org_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recording_id"],
            ["recording.id"],
            name=op.f("fk_stream_item_recording_id_recording"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stream_item")),
        sa.UniqueConstraint("recording_id", "item_id", name="uq_stream_item_recording_id_item_id"),
        sa.UniqueConstraint(
            "recording_id", "link_number", name="uq_stream_item_recording_id_link_number"
        ),
    )
    with op.batch_alter_table("stream_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stream_item_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stream_item_org_id"), ["org_id"], unique=False)


def downgrade():
    with op.batch_alter_table("stream_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stream_item_org_id"))
        batch_op.drop_index(batch_op.f("ix_stream_item_item_id"))
    op.drop_table("stream_item")
