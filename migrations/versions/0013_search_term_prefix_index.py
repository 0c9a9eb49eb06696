"""search: a text_pattern_ops index for vocabulary prefix lookups on PostgreSQL

Prefix lookups (``term LIKE 'fei%'``, for typo fixes and prefix matches) cannot use the primary
key's index unless the database collation is "C"; without this index PostgreSQL scanned the
whole vocabulary (about 130 ms on 200 hours of transcripts). SQLite needs nothing: its range
query uses the primary key.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 20:05:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_search_term_prefix ON search_term (term text_pattern_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_search_term_prefix")
