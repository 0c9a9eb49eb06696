"""suggestion titles; Chinese punctuation in existing subtitle lines and key facts

``suggestion.title`` holds the proposed title of a suggested clip (the item's name and the key
facts said). Subtitle lines and the key facts picked from them get Chinese full-width
punctuation and lose stray spaces between Chinese characters (``tidy_punctuation``), as new
lines do; rendered versions keep what they were rendered with.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 14:40:00

"""

import sqlalchemy as sa
from alembic import op

from portal.punctuation import tidy_punctuation

# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

CUES = sa.table("clip_cue", sa.column("id", sa.Integer), sa.column("text", sa.Text))
CLIPS = sa.table("clip", sa.column("id", sa.Integer), sa.column("key_facts", sa.JSON))


def upgrade():
    # A plain add (see 0015): no batch rebuild of a table other rows cascade from.
    op.add_column(
        "suggestion",
        sa.Column("title", sa.String(length=200), nullable=False, server_default=""),
    )
    bind = op.get_bind()
    for cue_id, text in bind.execute(sa.select(CUES.c.id, CUES.c.text)).all():
        if tidy_punctuation(text) != text:
            bind.execute(
                CUES.update().where(CUES.c.id == cue_id).values(text=tidy_punctuation(text))
            )
    for clip_id, facts in bind.execute(sa.select(CLIPS.c.id, CLIPS.c.key_facts)).all():
        tidied = [tidy_punctuation(fact) for fact in facts or []]
        if tidied != (facts or []):
            bind.execute(CLIPS.update().where(CLIPS.c.id == clip_id).values(key_facts=tidied))


def downgrade():
    op.drop_column("suggestion", "title")  # plain: a batch rebuild would cascade to its items
