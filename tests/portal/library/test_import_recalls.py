"""A catalog CSV import that changes a certificate or archives an item recalls its clips."""

from __future__ import annotations

import io

import pytest

from media.clips.models import Clip, ClipState
from portal.catalog.models import Item
from portal.extensions import db
from tests.portal.helpers import fetch, flashes, in_english

HEADER = "sku,name,cert_lab,cert_number,cert_grade"


def _state(app, clip_id):
    with app.app_context():
        return db.session.get(Clip, clip_id).state


def _import(browser, raw):
    upload = browser.post(
        "/catalog/import",
        data={"file": (io.BytesIO(raw.encode()), "catalog.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    assert browser.post(upload.headers["Location"]).status_code == 302


@pytest.fixture
def certified(make_item, merchant_org):
    return make_item(
        merchant_org, sku="JADE-1", name="满绿手镯", cert_lab="NGTC", cert_number="N-1",
        cert_grade="A",
    )  # fmt: skip


@pytest.mark.parametrize(
    "row",
    [
        "JADE-1,满绿手镯,GIA,N-1,A",  # lab
        "JADE-1,满绿手镯,NGTC,N-2,A",  # number
        "JADE-1,满绿手镯,NGTC,N-1,B",  # grade
    ],
)
def test_merchant_import_changing_a_certificate_sends_clips_back_to_review(
    app, client_as, merchant, trainer, merchant_org, certified, make_library_clip, row
):
    published = make_library_clip(merchant_org, item=certified)
    approved = make_library_clip(merchant_org, item=certified, state=ClipState.APPROVED)
    draft = make_library_clip(merchant_org, item=certified, state=ClipState.DRAFT)
    browser = in_english(client_as(merchant))

    _import(browser, f"{HEADER}\n{row}\n")

    assert [_state(app, c) for c in (published, approved, draft)] == [
        "in_review",
        "in_review",
        "draft",
    ]
    reason = "The certificate of linked item 满绿手镯 (JADE-1) changed."
    assert reason in browser.get(f"/media/clips/{published}").text
    assert reason in in_english(client_as(trainer)).get(f"/review/clips/{approved}").text
    assert client_as(trainer).get(f"/library/clips/{published}").status_code == 404


def test_merchant_import_with_the_same_certificate_leaves_clips_published(
    app, client_as, merchant, merchant_org, certified, make_library_clip
):
    published = make_library_clip(merchant_org, item=certified)
    _import(in_english(client_as(merchant)), f"{HEADER}\nJADE-1,满绿手镯新名,NGTC,N-1,A\n")
    assert _state(app, published) == "published"
    assert fetch(app, Item, Item.sku == "JADE-1").name == "满绿手镯新名"


def test_merchant_import_archiving_an_item_sends_clips_back_to_review(
    app, client_as, merchant, merchant_org, certified, make_library_clip
):
    published = make_library_clip(merchant_org, item=certified)
    browser = in_english(client_as(merchant))

    _import(browser, f"{HEADER},archived\nJADE-1,满绿手镯,NGTC,N-1,A,yes\n")

    assert fetch(app, Item, Item.sku == "JADE-1").archived_at is not None
    assert _state(app, published) == "in_review"
    assert (
        "Linked item 满绿手镯 (JADE-1) was archived."
        in browser.get(f"/media/clips/{published}").text
    )


def test_merchant_import_with_a_bad_archived_value_shows_the_row_error(
    client_as, merchant, certified
):
    browser = in_english(client_as(merchant))
    upload = browser.post(
        "/catalog/import",
        data={"file": (io.BytesIO(f"{HEADER},归档\nJADE-1,x,,,,maybe\n".encode()), "c.csv")},
        content_type="multipart/form-data",
    )
    assert "archived must be yes or no, not maybe" in browser.get(upload.headers["Location"]).text


def test_operator_cli_import_changing_a_certificate_sends_clips_back_to_review(
    app, runner, merchant_org, certified, make_library_clip, tmp_path
):
    published = make_library_clip(merchant_org, item=certified)
    path = tmp_path / "catalog.csv"
    path.write_text(f"{HEADER}\nJADE-1,满绿手镯,NGTC,N-9,A\n", encoding="utf-8")

    result = runner.invoke(args=["beltcast", "import-catalog", "--org", "cuiyu", str(path)])

    assert result.exit_code == 0, result.output
    assert _state(app, published) == "in_review"


def test_import_preview_warns_how_many_clips_go_back_to_review(
    app, client_as, merchant, merchant_org, certified, make_library_clip
):
    make_library_clip(merchant_org, item=certified)
    make_library_clip(merchant_org, item=certified, state=ClipState.APPROVED)
    make_library_clip(merchant_org, item=certified, state=ClipState.DRAFT)
    browser = in_english(client_as(merchant))
    upload = browser.post(
        "/catalog/import",
        data={"file": (io.BytesIO(f"{HEADER}\nJADE-1,满绿手镯,NGTC,N-2,A\n".encode()), "c.csv")},
        content_type="multipart/form-data",
    )
    preview = browser.get(upload.headers["Location"]).text
    assert "2 published or approved clips will go back to review" in preview
    assert [_state(app, c) for c in (1, 2)] == ["published", "approved"]  # nothing written yet


def test_import_preview_says_nothing_when_no_clip_is_recalled(
    client_as, merchant, certified, make_library_clip, merchant_org
):
    make_library_clip(merchant_org, item=certified)
    browser = in_english(client_as(merchant))
    upload = browser.post(
        "/catalog/import",
        data={"file": (io.BytesIO(f"{HEADER}\nJADE-1,新名,NGTC,N-1,A\n".encode()), "c.csv")},
        content_type="multipart/form-data",
    )
    assert "go back to review" not in browser.get(upload.headers["Location"]).text


def test_clip_of_an_archived_item_cannot_be_published_again(
    app, client_as, merchant, trainer, merchant_org, certified, make_library_clip
):
    """Recalled by the archive, approved again: publishing stays blocked while it is archived."""
    published = make_library_clip(merchant_org, item=certified)
    _import(in_english(client_as(merchant)), f"{HEADER},archived\nJADE-1,满绿手镯,NGTC,N-1,A,yes\n")
    staff = in_english(client_as(trainer))
    reason = "Linked item 满绿手镯 (JADE-1) was archived."
    assert reason in staff.get("/review/").text  # the queue says why it is back
    page = staff.get(f"/review/clips/{published}").text
    assert page.index(reason) < page.index('id="decision"')  # at the top, not only in History
    assert "is archived: this clip cannot be published" in page

    assert (
        staff.post(f"/review/clips/{published}/decision", data={"decision": "approve"}).status_code
        == 302
    )
    response = staff.post(f"/review/clips/{published}/publish")
    assert response.status_code == 302
    page = staff.get(response.location).text
    assert any("Linked items are archived: 满绿手镯 (JADE-1)." in m for m in flashes(page))
    assert _state(app, published) == "approved"
    assert staff.get(f"/library/clips/{published}").status_code == 404


def test_the_systems_reason_is_shown_in_the_readers_language(
    app, client_as, merchant, trainer, merchant_org, certified, make_library_clip
):
    """The reason is stored as a message id: a Chinese trainer reads it in Chinese, not in the
    language of whoever archived the item, and the system is named as the actor."""
    published = make_library_clip(merchant_org, item=certified)
    _import(in_english(client_as(merchant)), f"{HEADER},archived\nJADE-1,满绿手镯,NGTC,N-1,A,yes\n")
    chinese = client_as(trainer).get(f"/review/clips/{published}?lang=zh_CN").text
    assert "关联商品 满绿手镯 (JADE-1) 已归档。" in chinese
    assert "was archived" not in chinese
    assert "系统" in chinese
