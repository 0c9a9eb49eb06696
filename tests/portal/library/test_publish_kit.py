"""The publish kit: a zip of a published clip's media, subtitles, knowledge card and post text."""

from __future__ import annotations

import io
import json
import zipfile

import pysubs2
import pytest
from PIL import Image

from media.clips.kit import srt_from_cues
from media.clips.models import Clip, ClipState, ClipVersion
from portal.auth.models import Role
from portal.catalog.models import Category
from portal.extensions import db
from tests.portal.helpers import fetch, form_with, in_english, is_private

CUES = ("这款翡翠手镯水头很好", "NGTC 证书编号可以查", "满绿色很正", "圈口 56 毫米")
KIT_FILES = {
    "clip.mp4", "poster.jpg", "subtitles.vtt", "subtitles.srt", "card.json", "card.png",
    "post.txt",
}  # fmt: skip


@pytest.fixture
def published(app, merchant_org, make_item, make_library_clip, write_media):
    category_id = fetch(app, Category, Category.name_zh == "翡翠").id
    item = make_item(
        merchant_org, sku="JADE-7", name="满绿 翡翠手镯", cert_lab="NGTC", cert_number="N-77",
        cert_grade="A货", price_cents=1_280_000, category_id=category_id,
    )  # fmt: skip
    clip_id = make_library_clip(merchant_org, item=item, cue_texts=CUES)
    write_media(clip_id)
    with app.app_context():
        version = db.session.scalar(db.select(ClipVersion).filter_by(clip_id=clip_id))
        version.cues = [
            {"start": 0, "end": 1.5, "text": CUES[0]},
            {"start": 61.25, "end": 63, "text": CUES[1]},
        ]
        version.key_facts = db.session.get(Clip, clip_id).key_facts = list(CUES[1:3])
        db.session.commit()
    return clip_id


def _pick_key_facts(browser, clip_id, texts):
    with browser.application.app_context():
        cues = db.session.get(Clip, clip_id).cues
        ids = [str(cue.id) for cue in cues if cue.text in texts]
    return browser.post(f"/media/clips/{clip_id}/key-facts", data={"cue_ids": ids})


def _kit(response):
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_merchant_downloads_the_kit_of_a_published_clip(app, client_as, merchant, published):
    browser = in_english(client_as(merchant))
    editor = browser.get(f"/media/clips/{published}").text
    assert f'href="/media/clips/{published}/kit.zip"' in editor

    response = browser.get(f"/media/clips/{published}/kit.zip")
    assert f"clip-{published}-kit.zip" in response.headers["Content-Disposition"]
    assert is_private(response)
    kit = _kit(response)

    assert set(kit.namelist()) == KIT_FILES
    assert kit.read("clip.mp4")[4:8] == b"ftyp"
    assert kit.read("subtitles.vtt").startswith(b"WEBVTT")
    srt = pysubs2.SSAFile.from_string(kit.read("subtitles.srt").decode(), format_="srt")
    assert [(event.start, event.end, event.plaintext) for event in srt] == [
        (0, 1500, CUES[0]),
        (61_250, 63_000, CUES[1]),
    ]
    card = json.loads(kit.read("card.json"))
    assert {k: card[k] for k in ("name", "sku", "cert_lab", "cert_number", "cert_grade")} == {
        "name": "满绿 翡翠手镯", "sku": "JADE-7", "cert_lab": "NGTC", "cert_number": "N-77",
        "cert_grade": "A货",
    }  # fmt: skip
    assert (card["price"], card["price_cents"]) == ("CN¥12,800.00", 1_280_000)  # English
    assert card["key_facts"] == list(CUES[1:3])
    assert card["library_url"].endswith(f"/library/clips/{published}")
    image = Image.open(io.BytesIO(kit.read("card.png")))
    assert (image.format, image.size) == ("PNG", (1080, 1350))
    post = kit.read("post.txt").decode()
    assert post.startswith("翡翠手镯讲解\n\n讲解种水\n\n")
    assert post.rstrip().endswith("#翡翠 #满绿翡翠手镯")


def test_key_facts_of_a_published_clip_stay_the_approved_ones(app, client_as, merchant, published):
    """Key facts are published in the card: a new pick waits to be submitted for review."""
    browser = in_english(client_as(merchant))
    response = _pick_key_facts(browser, published, CUES[:1])
    assert response.status_code == 302
    card = json.loads(_kit(browser.get(f"/media/clips/{published}/kit.zip")).read("card.json"))
    assert card["key_facts"] == list(CUES[1:3])
    clip = fetch(app, Clip, Clip.id == published)
    assert (clip.key_facts, clip.pending_text) == (list(CUES[1:3]), {"key_facts": [CUES[0]]})


def test_merchant_cannot_pick_more_than_six_key_facts(
    app, client_as, merchant, make_library_clip, merchant_org
):
    lines = tuple(f"第{n}句要点" for n in range(8))
    clip_id = make_library_clip(merchant_org, cue_texts=lines, state=ClipState.READY)
    response = _pick_key_facts(in_english(client_as(merchant)), clip_id, lines)
    assert response.status_code == 200
    assert "Pick at most 6 key facts." in response.text
    with app.app_context():
        assert db.session.get(Clip, clip_id).key_facts == []


def test_key_facts_are_shown_ticked_in_the_editor(
    app, client_as, merchant, make_library_clip, merchant_org
):
    ready = make_library_clip(merchant_org, cue_texts=CUES, state=ClipState.READY)
    browser = client_as(merchant)
    assert _pick_key_facts(browser, ready, CUES[:1]).status_code == 302
    form = form_with(browser.get(f"/media/clips/{ready}").text, "cue_ids")
    with app.app_context():
        first = db.session.get(Clip, ready).cues[0].id
    assert form.fields["cue_ids"] == str(first)
    assert form.options == {}


def test_another_organisation_gets_404_for_the_kit_and_key_facts(
    client_as, make_org, make_user, published
):
    other = client_as(make_user(Role.MERCHANT, make_org("other")))
    assert other.get(f"/media/clips/{published}/kit.zip").status_code == 404
    assert other.post(f"/media/clips/{published}/key-facts", data={}).status_code == 404


@pytest.mark.parametrize("state", [ClipState.APPROVED, ClipState.IN_REVIEW, ClipState.DRAFT])
def test_unpublished_clip_has_no_kit(client_as, merchant, merchant_org, make_library_clip, state):
    clip_id = make_library_clip(merchant_org, state=state)
    browser = in_english(client_as(merchant))
    assert browser.get(f"/media/clips/{clip_id}/kit.zip").status_code == 404
    assert "once the clip is published" in browser.get(f"/media/clips/{clip_id}").text


def test_srt_keeps_hours_and_milliseconds():
    cues = [{"start": 3725.5, "end": 3726.004, "text": " 好 "}]
    assert srt_from_cues(cues).strip() == "1\n01:02:05,500 --> 01:02:06,004\n好"


def test_card_text_wraps_without_starting_a_line_with_punctuation():
    from media.clips.card import _font, face_index, wrap
    from media.render.fonts import find_subtitle_font

    font = find_subtitle_font()
    lines = wrap(
        "这款翡翠手镯水头很好，种老，起胶感明显，NGTC 证书",
        _font(font.font_file, face_index(font), 40),
        400,
    )
    assert len(lines) > 1
    assert "".join(lines).replace(" ", "") == "这款翡翠手镯水头很好，种老，起胶感明显，NGTC证书"
    assert not any(line[0] in "，。" for line in lines)
    assert any("NGTC" in line for line in lines)  # a Latin word stays whole


def test_card_text_never_starts_a_line_with_punctuation_after_a_space():
    from media.clips.card import NO_LINE_START, _font, face_index, wrap
    from media.render.fonts import find_subtitle_font

    font = find_subtitle_font()
    face = _font(font.font_file, face_index(font), 40)
    text = "Ice jade bangle ，水头足 ，NGTC certified ，good price ！"

    for width in range(160, 640, 8):
        lines = wrap(text, face, width)
        assert not any(line[0] in NO_LINE_START for line in lines), (width, lines)
