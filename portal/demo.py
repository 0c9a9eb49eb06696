"""The demo base: two jade merchants with catalogs, staff and a streamer (local demo only)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from sqlalchemy import select

from courses.demo import load_demo_course
from portal.auth.models import Role
from portal.auth.services import create_user, find_user_by_email
from portal.catalog.models import Category
from portal.catalog.services import ItemData, create_item, sku_taken
from portal.extensions import db
from portal.organisations.services import create_organisation, get_org_by_slug

DEMO_PASSWORD = "beltcast-demo"

ORGANISATIONS = (("cuiyufang", "翠玉坊珠宝"), ("hetianyuan", "和田玉苑"))

USERS = (
    ("admin@beltcast.example", "管理员 王静", Role.ADMIN, None),
    ("trainer@beltcast.example", "培训师 李老师", Role.TRAINER, None),
    ("merchant@cuiyufang.example", "翠玉坊 陈老板", Role.MERCHANT, "cuiyufang"),
    ("merchant@hetianyuan.example", "和田玉苑 马老板", Role.MERCHANT, "hetianyuan"),
    ("streamer@beltcast.example", "新主播 小周", Role.STREAMER, None),
)

# sku, name, aliases, category, price (yuan), certificate lab, grade
ITEMS: dict[str, tuple[tuple[str, str, tuple[str, ...], str, int, str, str], ...]] = {
    "cuiyufang": (
        (
            "CY-001",
            "冰种翡翠手镯",
            ("冰种手镯", "翡翠镯子", "jadeite bangle"),
            "翡翠",
            12800,
            "NGTC",
            "A货",
        ),
        ("CY-002", "糯种飘花手镯", ("飘花镯", "糯冰飘花"), "翡翠", 6800, "NGTC", "A货"),
        ("CY-003", "翡翠平安扣", ("平安扣", "jade donut"), "翡翠", 1880, "GTC", "A货"),
        ("CY-004", "帝王绿戒面", ("帝王绿", "绿戒面"), "翡翠", 58000, "NGTC", "A货"),
        ("CY-005", "翡翠观音吊坠", ("观音", "翡翠观音"), "翡翠", 9600, "NGTC", "A货"),
        ("CY-006", "紫罗兰手串", ("紫罗兰", "春色手串"), "翡翠", 3200, "", ""),
        ("CY-007", "南红玛瑙手串", ("南红", "南红串"), "其他", 980, "", ""),
        ("CY-008", "淡水珍珠项链", ("珍珠项链", "pearl necklace"), "珍珠", 1280, "", ""),
        ("CY-009", "琥珀蜜蜡吊坠", ("蜜蜡", "琥珀吊坠", "amber pendant"), "琥珀", 2600, "", ""),
        ("CY-010", "足银镶翡翠耳钉", ("翡翠耳钉", "银耳钉"), "银饰", 680, "", ""),
        ("CY-011", "翡翠如意摆件", ("如意", "如意摆件"), "翡翠", 16800, "GTC", "A货"),
        ("CY-012", "晴水翡翠叶子", ("叶子吊坠", "晴水叶子"), "翡翠", 4200, "NGTC", "A货"),
    ),
    "hetianyuan": (
        (
            "HT-001",
            "和田玉籽料吊坠",
            ("籽料吊坠", "和田籽料", "hetian pendant"),
            "和田玉",
            8800,
            "NGTC",
            "籽料",
        ),
        ("HT-002", "和田玉白玉手镯", ("白玉镯", "和田白玉手镯"), "和田玉", 15800, "NGTC", "白玉"),
        ("HT-003", "青白玉平安扣", ("青白玉扣", "平安扣"), "和田玉", 1280, "", ""),
        ("HT-004", "碧玉手串", ("碧玉串", "菠菜绿"), "和田玉", 2200, "GTC", "碧玉"),
        ("HT-005", "墨玉貔貅", ("貔貅", "墨玉摆件"), "和田玉", 3600, "", ""),
        ("HT-006", "独山玉山水摆件", ("独山玉摆件", "山水摆件"), "独山玉", 26000, "", ""),
        ("HT-007", "南阳玉手镯", ("南阳玉镯", "南阳手镯"), "南阳玉", 1680, "", ""),
        ("HT-008", "羊脂玉戒指", ("羊脂玉", "羊脂白玉戒"), "和田玉", 32000, "NGTC", "羊脂"),
        ("HT-009", "和田玉福瓜吊坠", ("福瓜", "福瓜吊坠"), "和田玉", 5200, "", ""),
        ("HT-010", "糖白玉手把件", ("糖白玉", "手把件"), "和田玉", 4800, "", ""),
        ("HT-011", "海水珍珠耳环", ("珍珠耳环", "akoya"), "珍珠", 1980, "", ""),
        ("HT-012", "银镶和田玉戒指", ("银戒指", "和田玉戒指"), "银饰", 880, "", ""),
    ),
}


def _ensure_orgs() -> Iterator[str]:
    for slug, name in ORGANISATIONS:
        if get_org_by_slug(slug) is None:
            create_organisation(slug, name, approved=True)
            yield f"organisation {slug} created"


def _ensure_users() -> Iterator[str]:
    for email, name, role, slug in USERS:
        if find_user_by_email(email) is None:
            org = get_org_by_slug(slug) if slug else None
            create_user(email=email, name=name, role=role, org=org, password=DEMO_PASSWORD)
            yield f"user {email} ({role}) created"


def _ensure_items() -> Iterator[str]:
    categories = {c.name_zh: c.id for c in db.session.scalars(select(Category))}
    for slug, items in ITEMS.items():
        org = get_org_by_slug(slug)
        owner = find_user_by_email(next(u[0] for u in USERS if u[3] == slug))
        if org is None or owner is None:
            continue
        added = 0
        for sku, name, aliases, category, price, lab, grade in items:
            if sku_taken(org.id, sku):
                continue
            data = ItemData(
                sku=sku,
                name=name,
                aliases=list(aliases),
                category_id=categories.get(category),
                price_cents=price * 100,
                description=f"{name}，基地演示商品。",
                cert_lab=lab,
                cert_number=f"{lab}-{sku}" if lab else "",
                cert_grade=grade,
                is_designer_new=sku.endswith("011"),
            )
            create_item(org.id, owner, data)
            added += 1
        if added:
            yield f"{added} items added to {slug}"


def load_demo_data() -> Iterator[str]:
    """Create whatever part of the demo base is missing; yield a line per change."""
    changed = False
    for line in chain(_ensure_orgs(), _ensure_users(), _ensure_items(), load_demo_course()):
        changed = True
        yield line
    if not changed:
        yield "demo data already present"
