"""version item facts: what the knowledge card and the post's hashtags show of each linked item

A version keeps its items' card facts (name, SKU, certificate, price, category) as they were when
it was made, so a catalog edit after approval never changes a published card or post unreviewed.
Existing versions take their items' current facts (what they showed until now).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

FACTS = ("name", "sku", "cert_lab", "cert_number", "cert_grade", "price_cents")


def upgrade():
    with op.batch_alter_table("clip_version") as batch_op:
        batch_op.add_column(
            sa.Column("item_facts", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    _backfill(op.get_bind())


def _backfill(bind):
    meta = sa.MetaData()
    version = sa.Table(
        "clip_version", meta, sa.Column("item_ids", sa.JSON), sa.Column("item_facts", sa.JSON),
        autoload_with=bind, extend_existing=True,
    )  # fmt: skip
    item = sa.Table("item", meta, autoload_with=bind)
    category = sa.Table("category", meta, autoload_with=bind)
    rows = bind.execute(
        sa.select(item, category.c.name_zh).outerjoin(category, category.c.id == item.c.category_id)
    ).mappings()
    facts = {
        row["id"]: {**{k: row[k] for k in FACTS}, "category": row["name_zh"] or ""} for row in rows
    }
    for row in bind.execute(sa.select(version.c.id, version.c.item_ids)).all():
        ids = row.item_ids if isinstance(row.item_ids, list) else []
        bind.execute(
            version.update()
            .where(version.c.id == row.id)
            .values(item_facts=[facts[i] for i in ids if i in facts])
        )


def downgrade():
    with op.batch_alter_table("clip_version") as batch_op:
        batch_op.drop_column("item_facts")
