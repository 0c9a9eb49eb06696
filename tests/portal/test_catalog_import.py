"""Catalog CSV import (web preview and CLI) and the operator commands."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from portal.auth.models import Role, User
from portal.catalog.models import CatalogImport, Category, Item
from portal.demo import DEMO_PASSWORD, USERS
from portal.extensions import db
from portal.organisations.models import Organisation, OrgStatus
from tests.conftest import TEST_PASSWORD
from tests.portal.helpers import count_rows, fetch, field_errors, in_english, login
from tests.support.invisible import invisible_in, sprinkled_all

CHINESE_CSV = (
    "货号,名称,别名,类别,价格\n"
    'CY-1,冰种翡翠手镯,冰种手镯、翡翠镯子,翡翠,"￥12,800.50"\n'
    "CY-2,淡水珍珠项链,珍珠项链|pearl necklace,Pearl,980\n"
)


@pytest.fixture
def browser(client_as, merchant):
    """The merchant's browser, in English."""
    return in_english(client_as(merchant))


def _upload(browser, raw: bytes, filename: str = "catalog.csv"):
    return browser.post(
        "/catalog/import",
        data={"file": (io.BytesIO(raw), filename)},
        content_type="multipart/form-data",
    )


def _items(app, org):
    with app.app_context():
        items = db.session.scalars(select(Item).where(Item.org_id == org.id).order_by(Item.sku))
        return {i.sku: (i.name, i.aliases, i.category_id, i.price_cents) for i in items}


def _category_id(app, name_zh):
    return fetch(app, Category, Category.name_zh == name_zh).id


def _preview_rows(html):
    """Return (line, sku, action, errors) of each preview row."""
    rows = []
    for row in re.findall(r"<tr(?: class=\"row-error\")?>(.*?)</tr>", html, re.DOTALL):
        cells = dict(re.findall(r'<td data-label="(\w+)">(.*?)</td>', row, re.DOTALL))
        if cells:
            errors = re.findall(r'<p class="error">(.*?)</p>', cells["Errors"])
            rows.append((int(cells["Line"]), cells["SKU"], cells["Action"], errors))
    return rows


# Web import with preview


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_merchant_imports_chinese_csv_in_any_common_encoding(app, browser, merchant_org, encoding):
    upload = _upload(browser, CHINESE_CSV.encode(encoding))

    assert upload.status_code == 302
    preview = browser.get(upload.headers["Location"])
    assert preview.status_code == 200
    assert _preview_rows(preview.text) == [(2, "CY-1", "new", []), (3, "CY-2", "new", [])]
    assert "冰种翡翠手镯" in preview.text
    assert "冰种手镯、翡翠镯子" in preview.text
    assert count_rows(app, Item) == 0  # nothing written before confirming

    confirm = browser.post(upload.headers["Location"])

    assert confirm.status_code == 302
    assert _items(app, merchant_org) == {
        "CY-1": ("冰种翡翠手镯", ["冰种手镯", "翡翠镯子"], _category_id(app, "翡翠"), 1280050),
        "CY-2": ("淡水珍珠项链", ["珍珠项链", "pearl necklace"], _category_id(app, "珍珠"), 98000),
    }
    assert count_rows(app, CatalogImport) == 0
    assert browser.post(upload.headers["Location"]).status_code == 404  # used up


def test_merchant_imports_gb18030_only_characters(app, browser, merchant_org):
    raw = "货号,名称\nCY-1,𠮷祥如意翡翠\n".encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        "𠮷".encode("gbk")

    upload = _upload(browser, raw)
    browser.post(upload.headers["Location"])

    assert _items(app, merchant_org)["CY-1"][0] == "𠮷祥如意翡翠"


def test_merchant_importing_text_with_invisible_characters_stores_it_without_them(
    app, browser, merchant_org
):
    clean = [
        "CY-1",
        "冰种翡翠手镯",
        "冰种手镯\n翡翠镯子",
        "翡翠",
        "第一行\n第二行",
        "NGTC",
        "N-1",
        "A货",
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([
        ["sku", "name", "aliases", "category", "description", "cert_lab", "cert_number",
         "cert_grade"],
        [sprinkled_all(cell) + "\x00" for cell in clean],
    ])  # fmt: skip

    upload = _upload(browser, buffer.getvalue().encode())
    assert upload.status_code == 302
    preview = browser.get(upload.headers["Location"])
    assert invisible_in(preview.text) == []
    assert browser.post(upload.headers["Location"]).status_code == 302

    item = fetch(app, Item, Item.org_id == merchant_org.id)
    assert (item.sku, item.name, item.aliases, item.category_id, item.description) == (
        "CY-1", "冰种翡翠手镯", ["冰种手镯", "翡翠镯子"], _category_id(app, "翡翠"),
        "第一行\n第二行",
    )  # fmt: skip
    assert (item.cert_lab, item.cert_number, item.cert_grade) == ("NGTC", "N-1", "A货")
    assert invisible_in(browser.get(f"/catalog/items/{item.id}").text) == []


def test_merchant_file_with_row_errors_shows_them_and_writes_nothing(app, browser, merchant_org):
    raw = (
        "sku,name,category,price\n"
        "CY-1,好的一行,翡翠,100\n"
        "CY-2,,翡翠,100\n"
        "CY-3,价格不对,翡翠,一百\n"
        "CY-4,没有的类别,玉石,100\n"
        "CY-1,重复货号,翡翠,100\n"
    ).encode()

    upload = _upload(browser, raw)
    assert upload.status_code == 302
    preview = browser.get(upload.headers["Location"])

    assert _preview_rows(preview.text) == [
        (2, "CY-1", "new", []),
        (3, "CY-2", "new", ["name is missing"]),
        (4, "CY-3", "new", ["price 一百 is not a number"]),
        (5, "CY-4", "new", ["unknown category 玉石"]),
        (6, "CY-1", "new", ["SKU CY-1 repeats line 2"]),
    ]
    assert "Nothing was saved" in preview.text
    assert "Import 5 items" not in preview.text

    confirm = browser.post(upload.headers["Location"])

    assert confirm.status_code == 400
    assert "Fix the errors in the file before importing." in confirm.text
    assert count_rows(app, Item) == 0


def test_merchant_import_updates_existing_skus_and_adds_new_ones(
    app, browser, merchant_org, make_item, make_org
):
    make_item(merchant_org, sku="CY-1", name="旧名字", aliases=["旧别名"])
    make_item(merchant_org, sku="CY-9", name="文件里没有")
    make_item(make_org("other"), sku="CY-2", name="别人的")
    raw = "sku,name,aliases,price\nCY-1,新名字,新别名,1880\nCY-2,新商品,,\n".encode()

    upload = _upload(browser, raw)
    preview = browser.get(upload.headers["Location"])
    assert _preview_rows(preview.text) == [(2, "CY-1", "update", []), (3, "CY-2", "new", [])]
    assert "Import 2 items" in preview.text
    assert browser.post(upload.headers["Location"]).status_code == 302

    assert _items(app, merchant_org) == {
        "CY-1": ("新名字", ["新别名"], None, 188000),
        "CY-2": ("新商品", [], None, None),
        "CY-9": ("文件里没有", ["冰种手镯"], None, None),
    }
    assert count_rows(app, Item, Item.name == "别人的") == 1


@pytest.mark.parametrize(
    ("raw", "filename", "message"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"sku,price\nCY-1,100\n", "catalog.csv", "The header row needs the columns: name"),
        (b"sku,name\n\n", "catalog.csv", "The file has no data rows."),
        (b"sku,name\nCY-1,x\n", "catalog.xlsx", "Choose a .csv or .zip file."),
        (b"\xff\xfe\x00s\x00k\x00u", "catalog.csv", "The file is neither UTF-8 nor GBK text."),
    ],
)
def test_merchant_uploading_unusable_file_sees_error_in_place(app, browser, raw, filename, message):
    response = _upload(browser, raw, filename)

    assert response.status_code == 200
    assert message in field_errors(response.text, "file")
    assert count_rows(app, CatalogImport) == 0


def test_merchant_cannot_open_or_confirm_another_organisations_import(
    app, browser, make_org, make_user, client_as
):
    other = client_as(make_user(Role.MERCHANT, make_org("other")))
    location = _upload(other, CHINESE_CSV.encode()).headers["Location"]

    assert browser.get(location).status_code == 404
    assert browser.post(location).status_code == 404
    assert browser.get(location, headers={"HX-Request": "true"}).status_code == 404
    assert count_rows(app, Item) == 0
    assert count_rows(app, CatalogImport) == 1


# CLI: import-catalog


def test_operator_imports_catalog_file_from_cli(app, runner, merchant_org, tmp_path):
    path = tmp_path / "目录.csv"
    path.write_bytes(CHINESE_CSV.encode("gbk"))

    result = runner.invoke(args=["beltcast", "import-catalog", "--org", "cuiyu", str(path)])

    assert result.exit_code == 0, result.output
    assert "2 items imported into cuiyu" in result.output
    assert set(_items(app, merchant_org)) == {"CY-1", "CY-2"}


def test_operator_importing_file_with_errors_gets_failure_and_nothing_written(
    app, runner, merchant_org, tmp_path
):
    path = tmp_path / "bad.csv"
    path.write_text("货号,名称,价格\nCY-1,好的,100\nCY-2,,abc\n", encoding="utf-8")

    result = runner.invoke(args=["beltcast", "import-catalog", "--org", "cuiyu", str(path)])

    assert result.exit_code != 0
    assert "line 3: name is missing" in result.output
    assert "line 3: price abc is not a number" in result.output
    assert "2 errors; nothing was imported" in result.output
    assert count_rows(app, Item) == 0


def test_operator_importing_into_unknown_organisation_gets_failure(runner, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(CHINESE_CSV, encoding="utf-8")

    result = runner.invoke(args=["beltcast", "import-catalog", "--org", "nope", str(path)])

    assert result.exit_code != 0
    assert "no organisation with slug 'nope'" in result.output


def test_operator_importing_file_without_header_gets_failure(runner, merchant_org, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("CY-1,冰种\n", encoding="utf-8")

    result = runner.invoke(args=["beltcast", "import-catalog", "--org", "cuiyu", str(path)])

    assert result.exit_code != 0
    assert "The header row needs the columns" in result.output


# CLI: organisations and users


def test_operator_creates_organisation_from_cli(app, runner):
    result = runner.invoke(args=["beltcast", "create-org", "cuiyufang", "翠玉坊珠宝", "--approved"])

    assert result.exit_code == 0, result.output
    org = fetch(app, Organisation, Organisation.slug == "cuiyufang")
    assert (org.name, org.status) == ("翠玉坊珠宝", OrgStatus.APPROVED)
    pending = runner.invoke(args=["beltcast", "create-org", "hetian", "和田"])
    assert pending.exit_code == 0
    assert fetch(app, Organisation, Organisation.slug == "hetian").status == OrgStatus.PENDING


def test_operator_creating_organisation_and_user_stores_names_without_invisible_characters(
    app, runner
):
    org = runner.invoke(args=["beltcast", "create-org", "cuiyufang", sprinkled_all("翠玉坊")])
    user = runner.invoke(
        args=["beltcast", "create-user", "chen@example.com", "--role", "merchant",
              "--org", "cuiyufang", "--name", sprinkled_all("陈老板"), "--password-stdin"],
        input=f"{TEST_PASSWORD}\n",
    )  # fmt: skip

    assert (org.exit_code, user.exit_code) == (0, 0), org.output + user.output
    assert fetch(app, Organisation, Organisation.slug == "cuiyufang").name == "翠玉坊"
    assert fetch(app, User, User.email == "chen@example.com").name == "陈老板"


def test_operator_creating_organisation_with_taken_slug_gets_failure(app, runner, merchant_org):
    result = runner.invoke(args=["beltcast", "create-org", "cuiyu", "另一家"])

    assert result.exit_code != 0
    assert "The slug cuiyu is already used." in result.output
    assert count_rows(app, Organisation) == 1


def test_operator_creates_merchant_with_password_from_stdin_who_can_sign_in(
    app, runner, client, merchant_org
):
    result = runner.invoke(
        args=["beltcast", "create-user", "Chen@Example.com", "--role", "merchant",
              "--org", "cuiyu", "--name", "陈老板", "--password-stdin"],
        input=f"{TEST_PASSWORD}\n",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    user = fetch(app, User, User.email == "chen@example.com")
    assert (user.name, user.role, user.org_id) == ("陈老板", Role.MERCHANT, merchant_org.id)
    assert user.password_hash.startswith("$argon2id$")
    assert login(client, "chen@example.com").status_code == 302
    assert client.get("/catalog/").status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "merchant", "--org", "nope"], "no organisation with slug 'nope'"),
        (["--role", "merchant"], "A merchant must belong to an organisation."),
        (
            ["--role", "trainer", "--org", "cuiyu"],
            "Only merchants and streamers belong to an organisation.",
        ),
        (["--role", "wizard"], "Invalid value for '--role'"),
    ],
)
def test_operator_creating_user_with_bad_role_or_org_gets_failure(
    app, runner, merchant_org, args, message
):
    result = runner.invoke(
        args=["beltcast", "create-user", "x@example.com", *args, "--password-stdin"],
        input=f"{TEST_PASSWORD}\n",
    )

    assert result.exit_code != 0
    assert message in result.output
    assert count_rows(app, User) == 0


def test_operator_creating_user_with_short_or_taken_password_gets_failure(app, runner, streamer):
    short = runner.invoke(
        args=["beltcast", "create-user", "x@example.com", "--role", "trainer", "--password-stdin"],
        input="short\n",
    )
    taken = runner.invoke(
        args=["beltcast", "create-user", streamer.email, "--role", "trainer", "--password-stdin"],
        input=f"{TEST_PASSWORD}\n",
    )

    assert short.exit_code != 0
    assert "at least 8 characters" in short.output
    assert taken.exit_code != 0
    assert "already exists" in taken.output
    assert count_rows(app, User) == 1


# CLI: demo data


def _row_counts(app):
    return {model.__name__: count_rows(app, model) for model in (Organisation, User, Item)}


def test_operator_loads_demo_data_twice_without_duplicates(app, runner, client):
    first = runner.invoke(args=["beltcast", "demo-data"])
    assert first.exit_code == 0, first.output
    counts = _row_counts(app)

    second = runner.invoke(args=["beltcast", "demo-data"])

    assert second.exit_code == 0, second.output
    assert "demo data already present" in second.output
    assert _row_counts(app) == counts
    assert counts["Organisation"] == 2
    with app.app_context():
        per_org = db.session.execute(
            select(Item.org_id, db.func.count()).group_by(Item.org_id)
        ).all()
        roles = set(db.session.scalars(select(User.role)))
    assert sorted(n for _, n in per_org) == [12, 12]
    assert roles == {r.value for r in Role}


def test_every_demo_user_signs_in_through_login_form(app, runner):
    runner.invoke(args=["beltcast", "demo-data"])

    for email, name, _role, _org in USERS:
        browser = app.test_client()
        assert login(browser, email, DEMO_PASSWORD).status_code == 302, email
        assert name in browser.get("/").text
    merchant = app.test_client()
    login(merchant, "merchant@cuiyufang.example", DEMO_PASSWORD)
    assert "CY-001" in merchant.get("/catalog/").text
