"""review versions: a decision is about one rendered version (placeholder, being written)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 08:00:00

"""

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
