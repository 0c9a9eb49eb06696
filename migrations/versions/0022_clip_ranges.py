"""clip ranges: a clip is an ordered list of kept ranges of its recording

``clip_range`` holds each clip's kept ranges in order (``clip.start_ms``/``end_ms`` stay as their
overall bounds); ``clip.range_history`` holds the earlier range lists, for undo; each version
keeps the ranges it was rendered from. Existing clips and versions get one range: their in and
out.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 14:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "clip_range",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clip_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start_ms", sa.Integer(), nullable=False),
        sa.Column("end_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clip_id"], ["clip.id"], name=op.f("fk_clip_range_clip_id_clip"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clip_range")),
    )
    with op.batch_alter_table("clip_range") as batch_op:
        batch_op.create_index(batch_op.f("ix_clip_range_clip_id"), ["clip_id"], unique=False)
    # A plain add (see 0015): a batch rebuild of the clip table would cascade-delete its rows'
    # cues and items.
    op.add_column(
        "clip",
        sa.Column("range_history", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )
    with op.batch_alter_table("clip_version") as batch_op:
        batch_op.add_column(
            sa.Column("ranges", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    _backfill(op.get_bind())


def _backfill(bind):
    meta = sa.MetaData()
    clip = sa.Table("clip", meta, autoload_with=bind)
    clip_range = sa.Table("clip_range", meta, autoload_with=bind)
    version = sa.Table(
        "clip_version", meta, sa.Column("ranges", sa.JSON), autoload_with=bind,
        extend_existing=True,
    )  # fmt: skip
    rows = bind.execute(sa.select(clip.c.id, clip.c.start_ms, clip.c.end_ms)).all()
    if rows:
        bind.execute(
            clip_range.insert(),
            [
                {"clip_id": row.id, "position": 0, "start_ms": row.start_ms, "end_ms": row.end_ms}
                for row in rows
            ],
        )
    for row in bind.execute(sa.select(version.c.id, version.c.start_ms, version.c.end_ms)).all():
        bind.execute(
            version.update()
            .where(version.c.id == row.id)
            .values(ranges=[[row.start_ms, row.end_ms]])
        )


def downgrade():
    with op.batch_alter_table("clip_version") as batch_op:
        batch_op.drop_column("ranges")
    op.drop_column("clip", "range_history")  # not batch: no rebuild of the clip table
    op.drop_table("clip_range")
