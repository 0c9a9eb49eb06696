"""job errors: stored untranslated (msgid and arguments), translated when shown

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 10:00:00

"""

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
