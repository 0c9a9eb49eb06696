"""teams and live accounts: roles inside an organisation, its streaming accounts, who changed what

``user.org_role`` is a member's role inside their organisation (owner, staff, streamer). Each
organisation's oldest merchant member becomes its owner, the others staff. ``live_account`` lists
an organisation's streaming accounts; a recording names the account that streamed it. Recordings
and clips remember who changed them last. The new columns of ``recording`` and ``clip`` carry no
foreign key: SQLite adds one only by rebuilding the table, which would cascade-delete its rows'
dependants; the services clear them when an account is deleted.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 14:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user") as batch_op:
        batch_op.add_column(sa.Column("org_role", sa.String(length=20), nullable=True))
    op.create_table(
        "live_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("studio", sa.String(length=100), nullable=False),
        sa.Column("streamer_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisation.id"],
            name=op.f("fk_live_account_org_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["streamer_id"],
            ["user.id"],
            name=op.f("fk_live_account_streamer_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_account")),
        sa.UniqueConstraint(
            "org_id", "platform", "name", name="uq_live_account_org_id_platform_name"
        ),
    )
    with op.batch_alter_table("live_account") as batch_op:
        batch_op.create_index(batch_op.f("ix_live_account_org_id"), ["org_id"], unique=False)
    with op.batch_alter_table("recording") as batch_op:
        batch_op.add_column(sa.Column("live_account_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("updated_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_recording_live_account_id"), ["live_account_id"], unique=False
        )
    with op.batch_alter_table("clip") as batch_op:
        batch_op.add_column(sa.Column("updated_by_id", sa.Integer(), nullable=True))
    _owners(op.get_bind())


def _owners(bind):
    """Each organisation's oldest merchant member becomes its owner, the others staff."""
    user = sa.table(
        "user",
        sa.column("id", sa.Integer),
        sa.column("role", sa.String),
        sa.column("org_id", sa.Integer),
        sa.column("created_at", sa.DateTime),
        sa.column("org_role", sa.String),
    )
    rows = bind.execute(
        sa.select(user.c.id, user.c.org_id)
        .where(user.c.role == "merchant", user.c.org_id.is_not(None))
        .order_by(user.c.org_id, user.c.created_at, user.c.id)
    ).all()
    seen = set()
    for row in rows:
        role = "staff" if row.org_id in seen else "owner"
        seen.add(row.org_id)
        bind.execute(user.update().where(user.c.id == row.id).values(org_role=role))


def downgrade():
    with op.batch_alter_table("clip") as batch_op:
        batch_op.drop_column("updated_by_id")
    with op.batch_alter_table("recording") as batch_op:
        batch_op.drop_index(batch_op.f("ix_recording_live_account_id"))
        batch_op.drop_column("updated_by_id")
        batch_op.drop_column("live_account_id")
    with op.batch_alter_table("live_account") as batch_op:
        batch_op.drop_index(batch_op.f("ix_live_account_org_id"))
    op.drop_table("live_account")
    with op.batch_alter_table("user") as batch_op:
        batch_op.drop_column("org_role")
