"""version live account: the live account a version's clip page names, as it was then

A version now keeps the platform and name of the live account that streamed its recording
(media.clips.rendering.live_account_facts), so the public clip page names the account as it was
when the trainer approved the version, never a rename (加微信 abc123) or another account chosen
since.

Existing versions get the account their recording names now when neither the account nor the
recording changed after the version was made (so it is the one of then); any other keeps none,
and its clip page names no account until a newer version is approved.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 05:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("clip_version", sa.Column("live_account", sa.JSON(), nullable=True))
    bind = op.get_bind()
    meta = sa.MetaData()
    version = sa.Table(
        "clip_version", meta, sa.Column("live_account", sa.JSON),
        autoload_with=bind, extend_existing=True,
    )  # fmt: skip
    clip, recording, account = (
        sa.Table(name, meta, autoload_with=bind) for name in ("clip", "recording", "live_account")
    )
    rows = bind.execute(
        sa.select(version.c.id, account.c.platform, account.c.name)
        .join(clip, clip.c.id == version.c.clip_id)
        .join(recording, recording.c.id == clip.c.recording_id)
        .join(account, account.c.id == recording.c.live_account_id)
        .where(
            account.c.updated_at <= version.c.created_at,
            recording.c.updated_at <= version.c.created_at,
        )
    ).all()
    for row in rows:
        kept = {"platform": str(row.platform), "name": row.name}
        bind.execute(version.update().where(version.c.id == row.id).values(live_account=kept))


def downgrade():
    op.drop_column("clip_version", "live_account")
