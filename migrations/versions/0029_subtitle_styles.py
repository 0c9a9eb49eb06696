"""subtitle styles: a template per organisation and per clip, the logo, the hook line

``organisation.subtitle_template`` is the merchant's default template (NULL: the base's
default), ``organisation.logo_stem`` names its stored logo PNG. A clip may choose its own
template (NULL: its organisation's), its hook line (NULL: its title) and whether the product
card is shown. ``clip_version.style`` keeps what a render drew (template, hook, logo, card).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 17:55:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    # Plain adds (see 0015): a batch rebuild of the clip table would cascade-delete its rows'
    # cues and items.
    op.add_column("organisation", sa.Column("subtitle_template", sa.String(20), nullable=True))
    op.add_column("organisation", sa.Column("logo_stem", sa.String(64), nullable=True))
    op.add_column("clip", sa.Column("subtitle_template", sa.String(20), nullable=True))
    op.add_column("clip", sa.Column("hook_text", sa.String(200), nullable=True))
    op.add_column(
        "clip", sa.Column("show_card", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column("clip_version", sa.Column("style", sa.JSON(), nullable=True))


def downgrade():
    # not batch: no rebuild of the clip table
    op.drop_column("clip_version", "style")
    op.drop_column("clip", "show_card")
    op.drop_column("clip", "hook_text")
    op.drop_column("clip", "subtitle_template")
    op.drop_column("organisation", "logo_stem")
    op.drop_column("organisation", "subtitle_template")
