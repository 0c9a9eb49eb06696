"""publishing: trainers' compliance overrides (publishing is blocked by open flags)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 16:32:15.428614

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "compliance_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clip_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("cue_index", sa.Integer(), nullable=False),
        sa.Column("start_s", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clip_id"],
            ["clip.id"],
            name=op.f("fk_compliance_override_clip_id_clip"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisation.id"],
            name=op.f("fk_compliance_override_org_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trainer_id"],
            ["user.id"],
            name=op.f("fk_compliance_override_trainer_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_override")),
    )
    with op.batch_alter_table("compliance_override", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_compliance_override_clip_id"), ["clip_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_compliance_override_org_id"), ["org_id"], unique=False)


def downgrade():
    with op.batch_alter_table("compliance_override", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compliance_override_org_id"))
        batch_op.drop_index(batch_op.f("ix_compliance_override_clip_id"))

    op.drop_table("compliance_override")
