"""Subtitle styles over HTTP: the organisation's template and logo, a clip's style, its render."""

from __future__ import annotations

import io
import json
import re
from html import unescape
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import update

from media.clips.models import Clip, ClipCue, ClipState, ClipVersion
from media.clips.style_forms import TEMPLATE_LABELS
from media.render.styles import TEMPLATES
from portal.catalog.models import Item
from portal.compliance.published import check_version
from portal.config import SUBTITLE_TEMPLATES
from portal.extensions import db
from portal.organisations.models import Organisation
from tests.media.clips.helpers import one, rows
from tests.media.clips.test_editor import HTMX, errors_of, make_clip, run_jobs


def png_bytes(size: tuple[int, int] = (300, 120), colour=(200, 30, 30, 255)) -> bytes:
    """A small RGBA PNG."""
    out = io.BytesIO()
    Image.new("RGBA", size, colour).save(out, format="PNG")
    return out.getvalue()


def logo_files(app, org_id: int) -> list[Path]:
    return sorted((Path(app.config["MEDIA_ROOT"]) / "logos" / str(org_id)).glob("*"))


@pytest.fixture
def browser(client_as, merchant):
    return client_as(merchant)


@pytest.fixture
def bangle_clip(browser, recording_id, items) -> int:
    return make_clip(browser, recording_id, 1, 2, [items["bangle"].id])


def test_every_template_has_a_label() -> None:
    assert set(TEMPLATE_LABELS) == set(TEMPLATES)


def test_merchant_picks_the_organisations_template(app, browser, merchant_org):
    page = browser.get("/media/style")
    assert page.status_code == 200
    assert page.text.count("data-style-overlay") == len(TEMPLATES)
    assert 'checked id="template-0"' in page.text  # the base's default

    bad = browser.post("/media/style", data={"template": "neon"})
    assert bad.status_code == 200
    assert errors_of(bad.text) == ["Not a valid choice."]

    saved = browser.post("/media/style", data={"template": "bold"})
    assert saved.status_code == 302
    assert one(app, Organisation, Organisation.id == merchant_org.id).subtitle_template == "bold"
    assert 'checked id="template-1"' in browser.get("/media/style").text


def test_the_base_chooses_the_template_of_organisations_that_chose_none(app, browser):
    assert set(SUBTITLE_TEMPLATES) == set(TEMPLATES)  # what BELTCAST_SUBTITLE_TEMPLATE accepts
    app.config["SUBTITLE_TEMPLATE"] = "big"
    assert 'checked id="template-2"' in browser.get("/media/style").text
    browser.post("/media/style", data={"template": "bold"})
    assert 'checked id="template-1"' in browser.get("/media/style").text


def test_merchant_uploads_replaces_and_removes_the_logo(app, browser, merchant_org):
    upload = {"logo": (io.BytesIO(png_bytes((1200, 600))), "logo.png")}
    saved = browser.post("/media/style/logo", data=upload, content_type="multipart/form-data")
    assert saved.status_code == 302
    [first] = logo_files(app, merchant_org.id)
    with Image.open(first) as stored:
        assert (stored.format, stored.mode, stored.size) == ("PNG", "RGBA", (512, 256))
    served = browser.get("/media/style/logo.png")
    assert (served.status_code, served.mimetype) == (200, "image/png")

    upload = {"logo": (io.BytesIO(png_bytes()), "second.png")}
    browser.post("/media/style/logo", data=upload, content_type="multipart/form-data")
    [second] = logo_files(app, merchant_org.id)
    assert second != first

    removed = browser.post("/media/style/logo/delete")
    assert removed.status_code == 302
    assert logo_files(app, merchant_org.id) == []
    assert one(app, Organisation, Organisation.id == merchant_org.id).logo_stem is None
    assert browser.get("/media/style/logo.png").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "This file is not a readable image."),
        (b"", "The file is empty."),
        (b"x" * (2 * 1024**2 + 10), "The image is larger than 2 MB."),
    ],
)
def test_bad_logo_upload_is_named_in_place_and_stores_nothing(
    app, browser, merchant_org, data, message
):
    upload = {"logo": (io.BytesIO(data), "logo.svg")}
    page = browser.post("/media/style/logo", data=upload, content_type="multipart/form-data")
    assert page.status_code == 200
    assert errors_of(page.text) == [message]
    assert logo_files(app, merchant_org.id) == []
    assert one(app, Organisation, Organisation.id == merchant_org.id).logo_stem is None


def test_editor_previews_the_style_over_the_player(app, browser, bangle_clip):
    first = rows(app, ClipCue, order_by=ClipCue.start_ms)[0]
    browser.post(f"/media/clips/{bangle_clip}/cues/{first.id}", data={"text": "A Jadeite bangle."})
    editor = browser.get(f"/media/clips/{bangle_clip}").text
    overlay = re.search(r"data-templates='([^']*)'", editor)
    assert overlay is not None
    assert set(json.loads(unescape(overlay.group(1)))) == set(TEMPLATES)
    assert 'data-template="clean"' in editor
    assert "A <mark>Jadeite bangle</mark>." in editor  # the item's alias in the sample line
    assert 'value="Bangle clip"' in editor  # the hook line defaults to the title


def test_merchant_styles_a_clip_and_its_render_draws_it(app, browser, bangle_clip, items):
    with app.app_context():
        db.session.execute(
            update(Item)
            .where(Item.id == items["bangle"].id)
            .values(price_cents=1280000, cert_lab="NGTC", cert_number="A123")
        )
        db.session.commit()
    upload = {"logo": (io.BytesIO(png_bytes()), "logo.png")}
    browser.post("/media/style/logo", data=upload, content_type="multipart/form-data")
    too_long = browser.post(
        f"/media/clips/{bangle_clip}/style",
        data={"template": "big", "hook_text": "x" * 201, "show_card": "y"},
        headers=HTMX,
    )
    assert too_long.status_code == 200
    assert errors_of(too_long.text) == ["Field cannot be longer than 200 characters."]
    saved = browser.post(
        f"/media/clips/{bangle_clip}/style",
        data={"template": "big", "hook_text": "  Look at this  bangle 加微信 ", "show_card": "y"},
    )
    assert saved.status_code == 302
    clip = one(app, Clip, Clip.id == bangle_clip)
    assert (clip.subtitle_template, clip.hook_text, clip.show_card) == (
        "big", "Look at this bangle 加微信", True,
    )  # fmt: skip

    browser.post(f"/media/clips/{bangle_clip}/render", data={"profile": "vertical", "fill": "blur"})
    run_jobs(app)
    version = one(app, ClipVersion)
    assert version.is_ready
    style = version.style
    assert (style["template"], style["hook"]) == ("big", "Look at this bangle 加微信")
    with app.app_context():
        hits = check_version(db.session.get(ClipVersion, version.id))
    assert [(hit.term, hit.source) for hit in hits if hit.source == "hook"] == [("加微信", "hook")]
    assert style["logo"]
    assert {"翡翠手镯", "jadeite bangle"} <= set(style["highlights"])
    card = style["card"]
    texts = (card["name"], card["price"], card["certificate"])
    assert texts == ("翡翠手镯", "¥12,800", "NGTC A123")
    assert card["windows"]
    assert all(0 <= a < b <= version.duration_s + 0.01 for a, b in card["windows"])

    browser.post(f"/media/clips/{bangle_clip}/style", data={"template": "", "hook_text": ""})
    editor = browser.get(f"/media/clips/{bangle_clip}").text
    assert "render again, then submit" in editor  # the style changed since version 1


def test_another_merchant_cannot_style_a_clip(client_as, other_merchant, bangle_clip):
    other = client_as(other_merchant)
    response = other.post(f"/media/clips/{bangle_clip}/style", data={"template": "bold"})
    assert response.status_code == 404


def test_an_approved_clips_title_edit_asks_for_no_render(app, browser, bangle_clip, items):
    browser.post(f"/media/clips/{bangle_clip}/render", data={"profile": "vertical", "fill": "blur"})
    run_jobs(app)
    version = one(app, ClipVersion)
    assert version.style["hook"] == "Bangle clip"  # the title, burned in
    with app.app_context():
        db.session.execute(
            update(Clip)
            .where(Clip.id == bangle_clip)
            .values(state=ClipState.APPROVED, review_version_id=version.id)
        )
        db.session.commit()
    data = {"title": "A new title", "description": "", "item_ids": [items["bangle"].id]}
    assert browser.post(f"/media/clips/{bangle_clip}/details", data=data).status_code == 302
    editor = browser.get(f"/media/clips/{bangle_clip}").text
    assert "render again, then submit" not in editor  # the edit waits; the hook is as approved
    assert "Submit the changes for review" in editor
