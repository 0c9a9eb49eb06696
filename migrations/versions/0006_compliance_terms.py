"""compliance terms: banned advertising claims, seeded with defaults

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 16:30:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ABSOLUTE = "绝对化用语，违反《广告法》第九条。"
MEDICAL = "普通商品不得宣称医疗、保健或迷信功效（《广告法》第十七、二十八条）。"
CONTACT = "引导站外交易违反平台规则，也让买家失去平台保障。"
PRICE = "无依据的价格比较属于价格欺诈（《价格法》《明码标价和禁止价格欺诈规定》）。"
AUTHENTICITY = "真伪、材质声明需要证书支持：所有关联商品都有证书时自动通过。"

# (category, term, note): notes say why the term is banned and what to say instead.
DEFAULT_TERMS = [
    (
        "absolute",
        "最",
        ABSOLUTE + "改说具体特点，如“种水很透”；“最近”“最后”等非宣传用法可标记通过。",
    ),
    ("absolute", "第一", ABSOLUTE + "改说具体事实；“第一次”“第一件”等顺序用法可标记通过。"),
    ("absolute", "唯一", ABSOLUTE + "改说“少见”“这一件”。"),
    ("absolute", "国家级", ABSOLUTE + "改说具体的工艺或作者资历（有证明时）。"),
    ("absolute", "顶级", ABSOLUTE + "改说“高品质”，并描述种水、颜色。"),
    ("absolute", "极品", ABSOLUTE + "改说“品质很好”，并描述具体特点。"),
    ("absolute", "100%", ABSOLUTE + "不要承诺百分之百；有证书时说“有证书”。"),
    ("absolute", "万能", ABSOLUTE + "改说具体适合的场合或搭配。"),
    ("absolute", "number one", ABSOLUTE + "改说具体特点。"),
    ("medical", "治病", MEDICAL + "只介绍材质和工艺。"),
    ("medical", "辟邪", MEDICAL + "可以介绍传统寓意，如“寓意平安”。"),
    ("medical", "开光", MEDICAL + "不要宣称开光；可以介绍题材和寓意。"),
    ("medical", "保平安", MEDICAL + "改说“寓意平安”。"),
    ("medical", "转运", MEDICAL + "改说“寓意好运”。"),
    ("medical", "招财", MEDICAL + "改说“寓意招财进宝”（传统寓意）。"),
    ("medical", "养生", MEDICAL + "只介绍材质、手感和佩戴感受。"),
    ("medical", "cure", MEDICAL + "只介绍材质和工艺。"),
    ("medical", "heals", MEDICAL + "只介绍材质和工艺。"),
    ("contact", "加微信", CONTACT + "请引导在直播间或店铺内咨询、下单。"),
    ("contact", "微信号", CONTACT + "请引导在直播间或店铺内咨询。"),
    ("contact", "私聊", CONTACT + "改说“在直播间留言”或“联系店铺客服”。"),
    ("contact", "VX", CONTACT + "（微信的缩写，全角、小写同样命中。）"),
    ("contact", "加我", CONTACT + "改说“关注店铺”。"),
    ("contact", "二维码", CONTACT + "不要展示或提及站外二维码。"),
    ("contact", "WeChat", CONTACT + "请引导在店铺内咨询。"),
    ("price", "原价", PRICE + "只说现在的售价；划线价须有真实成交记录。"),
    ("price", "全网最低", PRICE + "改说现在的售价和优惠。"),
    ("price", "最低价", PRICE + "改说现在的售价和优惠。"),
    ("price", "清仓价", PRICE + "只有真实清仓时才能使用；否则说现在的售价。"),
    ("price", "lowest price", PRICE + "改说现在的售价。"),
    ("authenticity", "A货", AUTHENTICITY + "没有证书时改说“有证书的商品可以看证书”。"),
    ("authenticity", "天然", AUTHENTICITY + "没有证书时不要宣称天然。"),
    ("authenticity", "证书", AUTHENTICITY + "只有商品确有证书时才提证书。"),
    ("authenticity", "鉴定", AUTHENTICITY + "只有商品确有鉴定证书时才提鉴定。"),
    ("authenticity", "正品", AUTHENTICITY + "没有证书时不要宣称正品。"),
    ("authenticity", "certified natural", AUTHENTICITY + "没有证书时不要宣称。"),
    ("authenticity", "Grade A", AUTHENTICITY + "没有证书时不要宣称 A 货。"),
]


def upgrade():
    op.create_table(
        "compliance_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_term")),
        sa.UniqueConstraint("category", "term", name="uq_compliance_term_category_term"),
    )
    with op.batch_alter_table("compliance_term", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compliance_term_category"), ["category"], unique=False)
    seed_terms()


def seed_terms():
    table = sa.table(
        "compliance_term",
        sa.column("category", sa.String),
        sa.column("term", sa.String),
        sa.column("note", sa.Text),
        sa.column("is_active", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        table,
        [
            {
                "category": category,
                "term": term,
                "note": note,
                "is_active": True,
                "created_at": now,
                "updated_at": now,
            }
            for category, term, note in DEFAULT_TERMS
        ],
    )


def downgrade():
    with op.batch_alter_table("compliance_term", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compliance_term_category"))

    op.drop_table("compliance_term")
