"""version item photos and category: what a version lets the public library show of its items

A version's ``item_facts`` now also keep each item's photos (id and stored stem), spoken aliases
and category id, so public pages show the photos and category a trainer approved and public
search matches the approved aliases, never ones added since (media.clips.rendering.item_facts).

Existing versions get, for each item, the photos that existed when the version was made and
still exist (a photo's files are written once under a new stem and never replaced, so those are
the same pictures; one uploaded later stays private until a newer version is approved), and the
category id whose Chinese name the version kept (none if it was renamed since). Their aliases
are not filled in: nothing says which aliases an item had then, so older versions match in
public search by name and SKU only until a newer version is approved.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 04:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

# What versions keep from 0031 on (downgrading removes them all).
ADDED = ("photos", "category_id", "aliases")


def _tables(bind):
    meta = sa.MetaData()
    version = sa.Table(
        "clip_version", meta, sa.Column("item_ids", sa.JSON), sa.Column("item_facts", sa.JSON),
        autoload_with=bind, extend_existing=True,
    )  # fmt: skip
    return version, sa.Table("item_photo", meta, autoload_with=bind), meta


def upgrade():
    bind = op.get_bind()
    version, photo, meta = _tables(bind)
    category = sa.Table("category", meta, autoload_with=bind)
    category_ids = dict(bind.execute(sa.select(category.c.name_zh, category.c.id)).all())
    rows = bind.execute(
        sa.select(version.c.id, version.c.item_ids, version.c.item_facts, version.c.created_at)
    ).all()
    for row in rows:
        ids = row.item_ids if isinstance(row.item_ids, list) else []
        facts = row.item_facts if isinstance(row.item_facts, list) else []
        if not facts or all("photos" in kept for kept in facts):
            continue
        existing = bind.execute(
            sa.select(photo.c.id, photo.c.item_id, photo.c.stored_stem)
            .where(photo.c.item_id.in_(ids), photo.c.created_at <= row.created_at)
            .order_by(photo.c.position, photo.c.id)
        ).all()
        filled = []
        for item_id, kept in zip(ids, facts, strict=False):
            photos = [{"id": p.id, "stem": p.stored_stem} for p in existing if p.item_id == item_id]
            category_id = category_ids.get(kept.get("category") or "")
            filled.append({"photos": photos, "category_id": category_id, **kept})
        bind.execute(version.update().where(version.c.id == row.id).values(item_facts=filled))


def downgrade():
    bind = op.get_bind()
    version, _, _ = _tables(bind)
    for row in bind.execute(sa.select(version.c.id, version.c.item_facts)).all():
        facts = row.item_facts if isinstance(row.item_facts, list) else []
        kept = [{k: v for k, v in f.items() if k not in ADDED} for f in facts]
        bind.execute(version.update().where(version.c.id == row.id).values(item_facts=kept))
