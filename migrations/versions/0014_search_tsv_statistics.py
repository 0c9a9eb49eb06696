"""search: a finer statistics target for the full-text column on PostgreSQL

PostgreSQL estimates how many rows a ``tsquery`` matches from the most common lexemes it keeps
per column (ten per unit of statistics target). A word missing from that list is assumed to be
half as frequent as the rarest one kept; with the default target (100, about 1,000 lexemes) a
word that matches nothing was estimated at ~200 of 180,000 rows, so the planner walked the
primary key newest-first to find "the first six" and read the whole table (110–170 ms on
200 hours of transcripts). Keeping 10,000 lexemes makes rare and missing words cheap to
recognise: they go through the GIN index (a few ms) while common ones still stop after a page.
ANALYZE then samples 300,000 rows (about 5 s on that data).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 22:10:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_document ALTER COLUMN search_tsv SET STATISTICS 1000")
        op.execute("ANALYZE search_document")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_document ALTER COLUMN search_tsv SET STATISTICS -1")
