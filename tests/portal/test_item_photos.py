"""Item photos on the catalog item page: upload (re-encoded), order, primary, delete, tenancy."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from portal.auth.models import Role
from portal.catalog.models import Item, ItemPhoto
from portal.catalog.photos import primary_photo_key
from portal.extensions import db
from portal.storage import media_storage
from tests.portal.helpers import (
    count_rows,
    field_errors,
    flashes,
    in_english,
    is_private,
    png_bytes,
    upload_photos,
)


@pytest.fixture
def browser(client_as, merchant):
    """The merchant's browser, in English."""
    return in_english(client_as(merchant))


@pytest.fixture
def item(merchant_org, make_item):
    """An item of the merchant, without photos."""
    return make_item(merchant_org, sku="CY-1", name="冰种翡翠手镯")


def _photo_files(app, org_id):
    folder = Path(app.config["MEDIA_ROOT"]) / "item-photos" / str(org_id)
    return sorted(folder.iterdir()) if folder.exists() else []


def _photos(app, item_id):
    with app.app_context():
        return [(p.id, p.position) for p in db.session.get(Item, item_id).photos]


def _bomb(size: tuple[int, int]) -> bytes:
    """A tiny PNG file of very many pixels (a decompression bomb)."""
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, format="PNG")
    return buffer.getvalue()


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="GIF")
    return buffer.getvalue()


def _rotated_jpeg_with_exif() -> bytes:
    """A 300x200 JPEG whose EXIF says: turn 90° clockwise to show (and names a camera)."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 CW
    exif[0x010F] = "SecretCam"  # Make
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "red").save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_merchant_uploads_photos_reencoded_upright_without_metadata(app, browser, item):
    response = upload_photos(
        browser,
        item.id,
        (_rotated_jpeg_with_exif(), "手镯.jpg"),
        (png_bytes((2400, 1200)), "b.png"),
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/catalog/items/{item.id}#item-photos")
    with app.app_context():
        photos = db.session.get(Item, item.id).photos
        sizes = [(p.width, p.height, p.thumb_width, p.thumb_height) for p in photos]
        primary_path = media_storage().path(primary_photo_key(photos[0].item))
    assert sizes == [(200, 300, 200, 300), (1600, 800, 400, 200)]
    assert len(_photo_files(app, item.org_id)) == 4
    assert primary_path.name == f"{photos[0].stored_stem}.jpg"
    served = browser.get(f"/catalog/items/{item.id}/photos/{photos[0].id}/full")
    assert (served.status_code, served.mimetype) == (200, "image/jpeg")
    assert is_private(served)
    assert served.data == primary_path.read_bytes()
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.size == (200, 300)
        assert not image.getexif()
        assert b"SecretCam" not in served.data
    page = browser.get(f"/catalog/items/{item.id}").text
    thumb = f'src="/catalog/items/{item.id}/photos/{photos[0].id}/thumb"'
    assert re.search(thumb + r'\s+alt="冰种翡翠手镯"[^>]*loading="lazy"', page)
    assert 'width="200" height="300"' in page
    assert thumb in browser.get("/catalog/").text  # the list shows the primary photo too


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<?php echo 1; ?>", "photo.jpg", "photo.jpg: This file is not a readable image."),
        (b"", "empty.png", "empty.png: The file is empty."),
        (_bomb((8000, 6000)), "b.png", "b.png: The image has more than 40 million pixels."),
        (_bomb((10000, 10000)), "c.png", "c.png: The image has more than 40 million pixels."),
        (
            _gif(),
            "a.gif",
            "a.gif: Upload a JPEG, PNG or WebP image.",
        ),
    ],
)
def test_merchant_uploading_a_bad_file_sees_error_and_nothing_is_stored(
    app, browser, item, data, name, message
):
    response = upload_photos(browser, item.id, (png_bytes(), "good.png"), (data, name))

    assert response.status_code == 200
    assert field_errors(response.text, "photos") == [message]
    assert count_rows(app, ItemPhoto) == 0
    assert _photo_files(app, item.org_id) == []


@pytest.mark.parametrize("app_config", [{"MAX_IMAGE_BYTES": 2000}])
def test_merchant_uploading_a_too_large_photo_sees_error_and_nothing_is_stored(app, browser, item):
    big = io.BytesIO()
    Image.effect_noise((100, 100), 64).save(big, format="PNG")

    response = upload_photos(browser, item.id, (big.getvalue(), "big.png"))

    assert response.status_code == 200
    [error] = field_errors(response.text, "photos")
    assert error.startswith("big.png: The image is larger than")
    assert count_rows(app, ItemPhoto) == 0
    assert _photo_files(app, item.org_id) == []


def test_merchant_uploading_more_than_twelve_photos_sees_error(app, browser, item):
    response = upload_photos(
        browser, item.id, *[(png_bytes((8, 8)), f"{n}.png") for n in range(13)]
    )

    assert field_errors(response.text, "photos") == ["An item holds at most 12 photos."]
    assert count_rows(app, ItemPhoto) == 0


def test_merchant_posting_no_file_sees_error_in_place(browser, item):
    response = browser.post(
        f"/catalog/items/{item.id}/photos", data={}, content_type="multipart/form-data"
    )

    assert response.status_code == 200
    assert field_errors(response.text, "photos") == ["Choose one or more photos."]


def test_merchant_reorders_sets_primary_and_deletes_photos(app, browser, item):
    colors = ("red", "green", "blue")
    upload_photos(browser, item.id, *[(png_bytes(color=c), f"{c}.png") for c in colors])
    first, second, third = (photo_id for photo_id, _ in _photos(app, item.id))
    base = f"/catalog/items/{item.id}/photos"

    assert browser.post(f"{base}/{third}/move", data={"action": "primary"}).status_code == 302
    assert _photos(app, item.id) == [(third, 0), (first, 1), (second, 2)]
    browser.post(f"{base}/{third}/move", data={"action": "later"})
    assert [p for p, _ in _photos(app, item.id)] == [first, third, second]
    browser.post(f"{base}/{second}/move", data={"action": "sideways"})  # ignored
    assert [p for p, _ in _photos(app, item.id)] == [first, third, second]

    deleted = browser.post(f"{base}/{first}/delete", follow_redirects=True)

    assert "Photo deleted." in flashes(deleted.text)
    assert _photos(app, item.id) == [(third, 0), (second, 1)]
    assert len(_photo_files(app, item.org_id)) == 4
    assert browser.get(f"{base}/{first}/thumb").status_code == 404


def test_deleting_an_item_deletes_its_photo_files(app, browser, item):
    upload_photos(browser, item.id, (png_bytes(), "a.png"))

    with app.app_context():
        db.session.delete(db.session.get(Item, item.id))
        db.session.commit()

    assert count_rows(app, ItemPhoto) == 0
    assert _photo_files(app, item.org_id) == []


def test_other_merchant_gets_404_for_photos_and_cannot_change_them(
    app, browser, item, make_org, make_user, make_item, client_as
):
    upload_photos(browser, item.id, (png_bytes(), "a.png"))
    [(photo_id, _)] = _photos(app, item.id)
    other_org = make_org("org-other")
    other = client_as(make_user(Role.MERCHANT, other_org))
    their_item = make_item(other_org)
    base = f"/catalog/items/{item.id}/photos/{photo_id}"

    assert other.get(f"{base}/thumb").status_code == 404
    assert other.post(f"{base}/delete").status_code == 404
    assert other.post(f"{base}/move", data={"action": "later"}).status_code == 404
    assert other.get(f"/catalog/items/{their_item.id}/photos/{photo_id}/full").status_code == 404
    assert browser.get(f"/catalog/items/{their_item.id}/photos/{photo_id}/full").status_code == 404
    assert _photos(app, item.id) == [(photo_id, 0)]
    assert len(_photo_files(app, item.org_id)) == 2
