"""review versions: a decision is about one rendered version

A version now keeps everything that is reviewed and published with it (title, description, key
facts, linked items and the transcript of its range); the clip points at the version its review
state is about; compliance overrides belong to one version and name where the term stands.
Existing versions take their clip's current text; clips in review, approved or published point at
their newest rendered version (what the library showed until now).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 08:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

REVIEWED_STATES = ("in_review", "approved", "published")


def upgrade():
    with op.batch_alter_table("clip_version") as batch_op:
        batch_op.add_column(
            sa.Column("spoken", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(
            sa.Column("title", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("key_facts", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(
            sa.Column("item_ids", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    # A plain column (see Clip.review_version_id): a foreign key would make SQLite rebuild the
    # clip table, and dropping the old one would cascade-delete every clip's cues and items.
    op.add_column("clip", sa.Column("review_version_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("compliance_override") as batch_op:
        batch_op.add_column(sa.Column("version_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("source", sa.String(length=20), nullable=False, server_default="subtitle")
        )
        batch_op.create_index("ix_compliance_override_version_id", ["version_id"])
        batch_op.create_foreign_key(
            "fk_compliance_override_version_id_clip_version", "clip_version", ["version_id"],
            ["id"], ondelete="CASCADE",
        )  # fmt: skip
    _backfill(op.get_bind())


def _backfill(bind):
    meta = sa.MetaData()
    clip = sa.Table("clip", meta, autoload_with=bind)
    version = sa.Table(
        "clip_version", meta, sa.Column("spoken", sa.JSON), sa.Column("key_facts", sa.JSON),
        sa.Column("item_ids", sa.JSON), autoload_with=bind, extend_existing=True,
    )  # fmt: skip
    clip_item = sa.Table("clip_item", meta, autoload_with=bind)
    override = sa.Table("compliance_override", meta, autoload_with=bind)
    for row in bind.execute(
        sa.select(version.c.id, version.c.start_ms, version.c.end_ms, clip.c.recording_id).join(
            clip, clip.c.id == version.c.clip_id
        )
    ):
        bind.execute(
            version.update().where(version.c.id == row.id).values(spoken=_spoken(bind, meta, row))
        )
    for row in bind.execute(sa.select(clip)).mappings().all():
        item_ids = list(
            bind.scalars(
                sa.select(clip_item.c.item_id)
                .where(clip_item.c.clip_id == row["id"])
                .order_by(clip_item.c.position)
            )
        )
        key_facts = row["key_facts"]
        bind.execute(
            version.update()
            .where(version.c.clip_id == row["id"])
            .values(
                title=row["title"],
                description=row["description"],
                key_facts=key_facts if isinstance(key_facts, list) else [],
                item_ids=item_ids,
            )
        )
        newest = bind.scalar(
            sa.select(sa.func.max(version.c.id)).where(
                version.c.clip_id == row["id"], version.c.is_ready.is_(True)
            )
        )
        if newest is None:
            continue
        if row["state"] in REVIEWED_STATES:
            bind.execute(
                clip.update().where(clip.c.id == row["id"]).values(review_version_id=newest)
            )
        bind.execute(
            override.update().where(override.c.clip_id == row["id"]).values(version_id=newest)
        )


def _spoken(bind, meta, row):
    """The transcript of a version's range, as the application now snapshots it."""
    transcript = sa.Table("transcript", meta, autoload_with=bind)
    sentence = sa.Table("sentence", meta, autoload_with=bind)
    rows = bind.execute(
        sa.select(sentence.c.start_ms, sentence.c.end_ms, sentence.c.text, sentence.c.edited_text)
        .join(transcript, transcript.c.id == sentence.c.transcript_id)
        .where(
            transcript.c.recording_id == row.recording_id,
            sentence.c.end_ms > row.start_ms,
            sentence.c.start_ms < row.end_ms,
        )
        .order_by(sentence.c.position)
    )
    return [
        {
            "start": max(0, s.start_ms - row.start_ms) / 1000,
            "end": (min(s.end_ms, row.end_ms) - row.start_ms) / 1000,
            "text": s.edited_text if s.edited_text is not None else s.text,
            "heard": s.text if s.edited_text not in (None, s.text) else "",
        }
        for s in rows
    ]


def downgrade():
    with op.batch_alter_table("compliance_override") as batch_op:
        batch_op.drop_constraint(
            "fk_compliance_override_version_id_clip_version", type_="foreignkey"
        )
        batch_op.drop_index("ix_compliance_override_version_id")
        batch_op.drop_column("source")
        batch_op.drop_column("version_id")
    op.drop_column("clip", "review_version_id")  # not batch: no rebuild of the clip table
    with op.batch_alter_table("clip_version") as batch_op:
        for name in ("item_ids", "key_facts", "description", "title", "spoken"):
            batch_op.drop_column(name)
