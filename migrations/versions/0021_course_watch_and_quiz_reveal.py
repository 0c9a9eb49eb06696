"""course watch share and quiz answer reveal: watching completes lessons, answers stay hidden

A course says which share of a lesson video must be watched before the lesson is done
(``course.watch_percent``, default 90); a learner's progress keeps the ranges of the video actually
played (``lesson_progress.watched_ranges``), so seeking to the end no longer counts. A quiz says
when its correct answers are shown (``quiz.answer_reveal``, default after passing or the last
attempt). Existing progress counts its furthest point as watched (what completed it until now).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 14:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("course") as batch_op:
        batch_op.add_column(
            sa.Column("watch_percent", sa.Integer(), nullable=False, server_default="90")
        )
    with op.batch_alter_table("quiz") as batch_op:
        batch_op.add_column(
            sa.Column(
                "answer_reveal", sa.String(length=20), nullable=False, server_default="after_pass"
            )
        )
    with op.batch_alter_table("lesson_progress") as batch_op:
        batch_op.add_column(
            sa.Column("watched_ranges", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    _backfill(op.get_bind())


def _backfill(bind):
    progress = sa.Table(
        "lesson_progress", sa.MetaData(), sa.Column("id", sa.Integer),
        sa.Column("furthest_s", sa.Float), sa.Column("watched_ranges", sa.JSON),
    )  # fmt: skip
    rows = bind.execute(
        sa.select(progress.c.id, progress.c.furthest_s).where(progress.c.furthest_s > 0)
    )
    for row_id, furthest in rows.all():
        bind.execute(
            progress.update()
            .where(progress.c.id == row_id)
            .values(watched_ranges=[[0.0, furthest]])
        )


def downgrade():
    with op.batch_alter_table("lesson_progress") as batch_op:
        batch_op.drop_column("watched_ranges")
    with op.batch_alter_table("quiz") as batch_op:
        batch_op.drop_column("answer_reveal")
    with op.batch_alter_table("course") as batch_op:
        batch_op.drop_column("watch_percent")
