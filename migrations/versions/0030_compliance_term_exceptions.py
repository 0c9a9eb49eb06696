"""compliance term exceptions: ordinary words that hold a banned term but are no claim

``compliance_term.exceptions`` lists them (JSON list of strings, folded like the term when
matched). Seeded for the default terms with clear collisions: 最 in 最后/最近/最初/最终, 第一 in
第一次/第一件 (the ordinal uses the terms' notes already named), 加我 in 参加我.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06 22:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

# (category, term): its exceptions. A term an administrator renamed or removed is left alone.
DEFAULT_EXCEPTIONS = {
    ("absolute", "最"): ["最后", "最近", "最初", "最终"],
    ("absolute", "第一"): ["第一次", "第一件"],
    ("contact", "加我"): ["参加我"],
}

TERM = sa.table(
    "compliance_term",
    sa.column("category", sa.String),
    sa.column("term", sa.String),
    sa.column("exceptions", sa.JSON),
)


def upgrade():
    # A plain add (see 0015/0029): no batch rebuild of the table.
    op.add_column(
        "compliance_term",
        sa.Column("exceptions", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )
    for (category, term), exceptions in DEFAULT_EXCEPTIONS.items():
        op.execute(
            TERM.update()
            .where(TERM.c.category == category, TERM.c.term == term)
            .values(exceptions=exceptions)
        )


def downgrade():
    with op.batch_alter_table("compliance_term", schema=None) as batch_op:
        batch_op.drop_column("exceptions")
