"""render QA reports: what the checks found in a rendered clip's files, and any override

One row per rendered set of files (a version's ``stored_stem``; versions that only changed their
text share their files, and so their report): the findings with their times, and the reason a
merchant gave to submit despite them.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 14:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "render_qa_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stored_stem", sa.String(length=64), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("overridden_by_id", sa.Integer(), nullable=True),
        sa.Column("overridden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisation.id"],
            name=op.f("fk_render_qa_report_org_id_organisation"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["overridden_by_id"], ["user.id"],
            name=op.f("fk_render_qa_report_overridden_by_id_user"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_render_qa_report")),
    )  # fmt: skip
    with op.batch_alter_table("render_qa_report") as batch_op:
        batch_op.create_index(batch_op.f("ix_render_qa_report_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_render_qa_report_stored_stem"), ["stored_stem"], unique=True
        )


def downgrade():
    op.drop_table("render_qa_report")
