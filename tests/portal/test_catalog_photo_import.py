"""Catalog import from a zip file holding the CSV and the photos its ``photos`` column names."""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest

from portal.catalog import photo_import
from portal.catalog.models import CatalogImport, Item, ItemPhoto
from portal.extensions import db
from tests.portal.helpers import count_rows, field_errors, in_english, png_bytes


@pytest.fixture
def browser(client_as, merchant):
    """The merchant's browser, in English."""
    return in_english(client_as(merchant))


def _zip(csv_text: str, members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("catalog.csv", csv_text.encode())
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(browser, raw: bytes, filename: str = "catalog.zip"):
    return browser.post(
        "/catalog/import",
        data={"file": (io.BytesIO(raw), filename)},
        content_type="multipart/form-data",
    )


def _row_errors(html: str) -> list[str]:
    return [unescape(e) for e in re.findall(r'<p class="error">(.*?)</p>', html)]


def _photo_files(app, org_id):
    folder = Path(app.config["MEDIA_ROOT"]) / "item-photos" / str(org_id)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _photo_sizes(app, sku):
    with app.app_context():
        item = db.session.scalar(db.select(Item).where(Item.sku == sku))
        return [(p.width, p.height) for p in item.photos]


def test_merchant_imports_zip_with_photos_and_reimporting_replaces_them(app, browser, merchant_org):
    csv_text = "sku,name,photos\nCY-1,冰种手镯,a.jpg;images/b.png\nCY-2,珍珠项链,\n"
    members = {"a.jpg": png_bytes((30, 20)), "images/b.png": png_bytes((2000, 1000))}

    upload = _upload(browser, _zip(csv_text, members))

    assert upload.status_code == 302
    preview = browser.get(upload.headers["Location"]).text
    assert "a.jpg; images/b.png" in preview
    assert _row_errors(preview) == []
    assert count_rows(app, ItemPhoto) == 0
    assert browser.post(upload.headers["Location"]).status_code == 302
    assert _photo_sizes(app, "CY-1") == [(30, 20), (1600, 800)]
    assert _photo_sizes(app, "CY-2") == []
    first_files = _photo_files(app, merchant_org.id)
    assert len(first_files) == 4

    again = _upload(browser, _zip("sku,name,photos\nCY-1,冰种手镯,b.png\n", members))
    browser.post(again.headers["Location"])

    assert _photo_sizes(app, "CY-1") == [(1600, 800)]
    files = _photo_files(app, merchant_org.id)
    assert len(files) == 2
    assert not set(files) & set(first_files)


def test_row_errors_for_missing_unsafe_and_unreadable_photos_store_nothing(
    app, browser, merchant_org
):
    csv_text = (
        "sku,name,图片\n"
        "CY-1,手镯,a.png\n"
        "CY-2,项链,missing.jpg\n"
        "CY-3,吊坠,../../etc/passwd\n"
        "CY-4,戒指,notes.png\n"
    )
    members = {"a.png": png_bytes(), "../evil.png": png_bytes(), "notes.png": b"not an image"}

    upload = _upload(browser, _zip(csv_text, members))

    preview = browser.get(upload.headers["Location"]).text
    assert _row_errors(preview) == [
        "photo missing.jpg is not in the zip file",
        "photo ../../etc/passwd: this name is not allowed",
        "notes.png: This file is not a readable image.",
    ]
    assert "Nothing was saved" in preview
    assert _photo_files(app, merchant_org.id) == []  # a.png was stored, then removed again
    assert count_rows(app, ItemPhoto) == 0


def test_photos_column_in_a_plain_csv_is_a_row_error(app, browser):
    upload = _upload(browser, b"sku,name,photos\nCY-1,x,a.jpg\n", "catalog.csv")

    preview = browser.get(upload.headers["Location"]).text
    assert _row_errors(preview) == ["photos need a zip file holding the CSV and the images"]


def test_merchant_uploading_a_broken_zip_sees_error_in_place(app, browser):
    response = _upload(browser, b"PK\x03\x04 broken")

    assert response.status_code == 200
    assert field_errors(response.text, "file") == ["This file is not a readable zip file."]
    assert count_rows(app, CatalogImport) == 0


def test_zip_without_exactly_one_csv_is_refused(browser):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.png", png_bytes())

    response = _upload(browser, buffer.getvalue())

    assert field_errors(response.text, "file") == [
        "The zip file needs exactly one .csv file (it holds 0)."
    ]


def test_zip_bomb_is_refused_before_anything_is_unpacked(app, browser, monkeypatch):
    monkeypatch.setattr(photo_import, "MAX_UNZIPPED_BYTES", 1024**2)
    bomb = _zip("sku,name,photos\nCY-1,x,zeros.png\n", {"zeros.png": bytes(2 * 1024**2)})
    assert len(bomb) < 20_000

    response = _upload(browser, bomb)

    assert field_errors(response.text, "file") == ["The zip file unpacks to more than 1 MB."]
    assert count_rows(app, CatalogImport) == 0


@pytest.mark.parametrize("app_config", [{"MAX_IMAGE_BYTES": 1024**2}])
def test_zip_member_larger_than_the_image_limit_is_a_row_error(app, browser, merchant_org):
    members = {"big.png": bytes(3 * 1024**2)}  # declared and read only up to the limit

    upload = _upload(browser, _zip("sku,name,photos\nCY-1,x,big.png\n", members))

    preview = browser.get(upload.headers["Location"]).text
    assert _row_errors(preview) == ["big.png: The image is larger than 1 MB."]
    assert _photo_files(app, merchant_org.id) == []
