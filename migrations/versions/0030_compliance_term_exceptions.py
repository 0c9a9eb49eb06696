"""compliance term exceptions: ordinary words that hold a banned term but are no claim

``compliance_term.exceptions`` lists them (JSON list of strings, folded like the term when
matched). Seeded for the default terms with clear collisions: 最 in 最后/最近/最初/最终, 第一 in
第一次, 加我 in 参加我. Not 最早 (最早的矿口 can be a claim), nor 第一件/第一个 (ordinal as a
rule, but "我们是第一个…" is a claim: the trainer lets the ordinal stand). The notes of 最 and
第一, which told reviewers to pass these words by hand, say so now (when still as seeded).

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
    ("absolute", "第一"): ["第一次"],
    ("contact", "加我"): ["参加我"],
}

ABSOLUTE = "绝对化用语，违反《广告法》第九条。"
# (category, term): its note as seeded by 0006, and as it reads with the exceptions.
NOTES = {
    ("absolute", "最"): (
        ABSOLUTE + "改说具体特点，如“种水很透”；“最近”“最后”等非宣传用法可标记通过。",
        ABSOLUTE + "改说具体特点，如“种水很透”；“最后”“最近”等例外词里的“最”不会提示。",
    ),
    ("absolute", "第一"): (
        ABSOLUTE + "改说具体事实；“第一次”“第一件”等顺序用法可标记通过。",
        ABSOLUTE + "改说具体事实；“第一次”不会提示，“第一件”等顺序用法可标记通过。",
    ),
}

TERM = sa.table(
    "compliance_term",
    sa.column("category", sa.String),
    sa.column("term", sa.String),
    sa.column("note", sa.Text),
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
    _replace_notes(old=0, new=1)


def _replace_notes(*, old: int, new: int) -> None:
    """Replace the seeded notes of 最 and 第一 where an administrator left them as they were."""
    for (category, term), notes in NOTES.items():
        op.execute(
            TERM.update()
            .where(TERM.c.category == category, TERM.c.term == term, TERM.c.note == notes[old])
            .values(note=notes[new])
        )


def downgrade():
    _replace_notes(old=1, new=0)
    with op.batch_alter_table("compliance_term", schema=None) as batch_op:
        batch_op.drop_column("exceptions")
