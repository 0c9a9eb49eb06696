"""Who sees what: another organisation's rows never appear, for every kind; visitors see public."""

from __future__ import annotations

import pytest

from media.clips.models import ClipState
from portal.auth.models import Role
from tests.portal.search.conftest import NOTHING, hit_links, hits, set_clip_state

SECRET = "独家秘方翡翠"  # a phrase only organisation A has, in every kind
# What A's rows show beyond the phrase a user typed (a query is echoed back, so it may appear).
FOREIGN = ("今天讲", "的来历", "A 的直播", "秘方镯", f"{SECRET}讲解", f"{SECRET}手镯", "草稿里说")


@pytest.fixture
def world(app, make_org, make_user, make_item, make_recording, make_clip, index_items, make_lesson):
    """Organisation A has the secret phrase in an item, a transcript and a clip; B has none."""
    org_a, org_b = make_org("org-a"), make_org("org-b")
    item = make_item(org_a, sku="A-1", name=f"{SECRET}手镯", aliases=["秘方镯"])
    index_items(org_a)
    recording = make_recording(org_a.id, [(7.0, f"今天讲{SECRET}的来历")], title="A 的直播")
    clip = make_clip(org_a, item.id, title=f"{SECRET}讲解", lines=("水头很好",))
    make_item(org_b, sku="B-1", name="普通手镯")
    index_items(org_b)
    draft_lesson = make_lesson(title="草稿课", notes=f"草稿里说{SECRET}", published=False)
    return {
        "org_a": org_a, "item": item.id, "recording": recording, "clip": clip,
        "draft_lesson": draft_lesson, "merchant_a": make_user(Role.MERCHANT, org_a),
        "merchant_b": make_user(Role.MERCHANT, org_b),
    }  # fmt: skip


def _found(browser, q=SECRET, **args):
    response = browser.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200
    return response.text


def _quick(browser, q=SECRET):
    return browser.get("/search/quick", query_string={"q": q}, headers={"HX-Request": "true"}).text


def test_owner_finds_the_phrase_in_item_transcript_and_clip(client_as, world):
    page = _found(client_as(world["merchant_a"]))

    assert len(hits(page)) == 3
    assert hit_links(page) == [
        f"/catalog/items/{world['item']}",
        f"/media/clips/{world['clip']}",
        f"/media/recordings/{world['recording']}?t=7",
    ]


@pytest.mark.parametrize("kind", ["", "item", "clip", "sentence", "lesson"])
def test_merchant_of_other_org_never_sees_the_phrase(client_as, world, kind):
    browser = client_as(world["merchant_b"])

    for page in (_found(browser, kind=kind), _quick(browser), _found(browser, "来历", kind=kind)):
        assert hits(page) == []
        for text_of_a in FOREIGN:
            assert text_of_a not in page


def test_merchant_of_other_org_gets_no_suggestion_from_foreign_words(client_as, world):
    suggestion = 'href="/search?q=%E7%BF%A1%E7%BF%A0"'  # 翡翠, which only A's rows hold
    assert suggestion in _found(client_as(world["merchant_a"]), "非翠")

    page = _found(client_as(world["merchant_b"]), "非翠")

    assert NOTHING in page
    assert suggestion not in page


def test_merchant_of_other_org_cannot_filter_into_foreign_recording_or_item(client_as, world):
    browser = client_as(world["merchant_b"])

    by_recording = _found(browser, "翡翠", recording=str(world["recording"]))
    by_item = _found(browser, "翡翠", item=str(world["item"]))

    for page in (by_recording, by_item):
        assert hits(page) == []
        for text_of_a in FOREIGN:
            assert text_of_a not in page


@pytest.mark.parametrize("role", [Role.STREAMER, None])
def test_visitor_and_streamer_see_nothing_unpublished(client, make_user, client_as, world, role):
    browser = client_as(make_user(role)) if role else client

    for kind in ("", "item", "clip", "sentence", "lesson"):
        assert hits(_found(browser, kind=kind)) == []
    assert hits(_quick(browser)) == []


@pytest.mark.parametrize("role", [Role.STREAMER, None])
def test_visitor_sees_published_clip_public_item_page_and_published_lesson(
    app, client, make_user, client_as, world, make_lesson, role
):
    set_clip_state(app, world["clip"], ClipState.PUBLISHED)
    lesson = make_lesson(title="认识翡翠", notes=f"课上讲{SECRET}")
    browser = client_as(make_user(role)) if role else client

    page = _found(browser)

    found = hits(page)
    assert any(f"{SECRET}讲解" in hit for hit in found)
    assert any(f"{SECRET}手镯" in hit for hit in found)
    assert any("认识翡翠" in hit for hit in found)
    assert not any("来历" in hit or "草稿课" in hit for hit in found)
    assert f"/library/clips/{world['clip']}" in hit_links(page)
    assert f"/library/items/{world['item']}" in hit_links(page)
    if "courses.lesson" in app.view_functions:
        assert f"/courses/lessons/{lesson}" in hit_links(page)


def test_unpublishing_a_clip_hides_it_and_its_item_from_visitors_at_once(app, client, world):
    set_clip_state(app, world["clip"], ClipState.PUBLISHED)
    assert len(hits(_found(client))) == 2

    set_clip_state(app, world["clip"], ClipState.APPROVED)

    assert hits(_found(client)) == []


def test_other_merchant_sees_published_clip_by_its_public_page(app, client_as, world):
    set_clip_state(app, world["clip"], ClipState.PUBLISHED)

    page = _found(client_as(world["merchant_b"]))

    assert f"/library/clips/{world['clip']}" in hit_links(page)
    assert not any("来历" in hit for hit in hits(page))


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_staff_see_every_kind_of_every_org_including_draft_lessons(
    client_as, make_user, world, role
):
    page = _found(client_as(make_user(role)))

    found = hits(page)
    assert len(found) == 4
    assert any("草稿课" in hit for hit in found)
    assert any("来历" in hit for hit in found)
    assert f"/catalog/all/items/{world['item']}" in hit_links(page)
    assert f"/review/clips/{world['clip']}" in hit_links(page)


def test_a_published_clip_makes_public_only_the_items_it_shows(
    app, client, client_as, world, make_item, index_items
):
    hidden = make_item(world["org_a"], sku="A-2", name=f"{SECRET}吊坠")
    index_items(world["org_a"])
    set_clip_state(app, world["clip"], ClipState.PUBLISHED)

    for browser in (client, client_as(world["merchant_b"])):
        page = _found(browser, kind="item")
        assert hit_links(page) == [f"/library/items/{world['item']}"]
        assert f"/library/items/{hidden.id}" not in page
