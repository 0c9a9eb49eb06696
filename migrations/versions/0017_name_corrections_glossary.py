"""name corrections in transcripts and the jade-trade glossary

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 10:00:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# (term, note): the trade's own words, written as the trade writes them.
DEFAULT_TERMS = [
    ("翡翠", "硬玉（jadeite）"),
    ("和田玉", "软玉（nephrite），以和田命名的品类"),
    ("籽料", "河床中的和田玉卵石"),
    ("山料", "山体开采的原生矿料"),
    ("青海料", "青海产的软玉"),
    ("俄料", "俄罗斯产的软玉"),
    ("羊脂玉", "最白润的和田白玉"),
    ("碧玉", "绿色的软玉"),
    ("岫玉", "辽宁岫岩产的玉"),
    ("独山玉", "河南南阳独山产的玉"),
    ("玛瑙", ""),
    ("蜜蜡", "不透明的琥珀"),
    ("琥珀", ""),
    ("冰种", "透明度高、质地细的翡翠种地"),
    ("糯种", "半透明、质地细腻的翡翠种地"),
    ("玻璃种", "最透明的翡翠种地"),
    ("冰糯种", "介于冰种与糯种之间"),
    ("种水", "翡翠的质地与透明度"),
    ("飘花", "翡翠中飘散的色带"),
    ("满绿", "通体绿色"),
    ("帝王绿", "浓艳纯正的绿色"),
    ("平安扣", "圆形中间有孔的玉饰"),
    ("无事牌", "不雕图案的玉牌"),
    ("貔貅", "传统瑞兽题材"),
    ("翡翠手镯", ""),
    ("国检证书", "国家珠宝玉石质量监督检验中心的鉴定证书"),
    ("A货", "未经人工处理的天然翡翠"),
    ("jadeite", "翡翠"),
    ("nephrite", "软玉"),
    ("Hetian", "和田"),
    ("Hotan", "和田（另一种拼写）"),
    ("Xiuyan", "岫岩"),
    ("Dushan", "独山"),
    ("Pixiu", "貔貅"),
    ("Guanyin", "观音"),
]


def _language(term):
    return "zh" if any("\u3400" <= char <= "\u9fff" for char in term) else "en"


def upgrade():
    with op.batch_alter_table("sentence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heard_text", sa.Text(), nullable=True))
    op.create_table(
        "name_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("heard", sa.String(length=200), nullable=False),
        sa.Column("written", sa.String(length=200), nullable=False),
        sa.Column("term", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("word_start_ms", sa.Integer(), nullable=False),
        sa.Column("word_end_ms", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisation.id"],
            name=op.f("fk_name_correction_org_id_organisation"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sentence_id"], ["sentence.id"],
            name=op.f("fk_name_correction_sentence_id_sentence"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["user.id"],
            name=op.f("fk_name_correction_undone_by_id_user"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name_correction")),
    )  # fmt: skip
    with op.batch_alter_table("name_correction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_name_correction_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_name_correction_sentence_id"), ["sentence_id"], unique=False
        )
    op.create_table(
        "glossary_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_glossary_term")),
        sa.UniqueConstraint("term", name=op.f("uq_glossary_term_term")),
    )
    seed_terms()


def seed_terms():
    table = sa.table(
        "glossary_term",
        sa.column("term", sa.String),
        sa.column("language", sa.String),
        sa.column("note", sa.Text),
        sa.column("is_active", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        table,
        [
            {"term": term, "language": _language(term), "note": note, "is_active": True,
             "created_at": now, "updated_at": now}
            for term, note in DEFAULT_TERMS
        ],
    )  # fmt: skip


def downgrade():
    op.drop_table("glossary_term")
    with op.batch_alter_table("name_correction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_name_correction_sentence_id"))
        batch_op.drop_index(batch_op.f("ix_name_correction_org_id"))
    op.drop_table("name_correction")
    with op.batch_alter_table("sentence", schema=None) as batch_op:
        batch_op.drop_column("heard_text")
