"""Search as a merchant: Chinese, pinyin, Traditional, English typos, ranking, filters, pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from media.clips.discovery import refresh_mentions
from media.recordings.models import Recording
from portal.extensions import db
from tests.portal.helpers import field_errors, in_english
from tests.portal.search.conftest import NOTHING, hit_links, hits

LINES = [
    (3.0, "大家晚上好欢迎来到直播间"),
    (12.4, "这只冰种翡翠手镯水头非常好"),
    (20.0, "下面看一块新疆和田玉的籽料"),
    (31.0, "这个吊坠是羊脂白玉"),
]


@pytest.fixture
def stocked(app, merchant_org, make_item, make_recording, index_items):
    """The merchant's catalog and one transcribed recording, indexed."""
    make_item(merchant_org, sku="FC-001", name="冰种翡翠手镯", aliases=["冰种镯"])
    make_item(merchant_org, sku="HT-002", name="和田玉籽料吊坠", aliases=["和田玉"])
    make_item(merchant_org, sku="EN-003", name="Jadeite bracelet", aliases=["green bangle"])
    index_items(merchant_org)
    return make_recording(merchant_org.id, LINES)


def _search(client, q, **args):
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200
    return response.text


def test_merchant_finds_item_and_spoken_moment_with_two_chinese_characters(
    client_as, merchant, stocked
):
    page = _search(client_as(merchant), "翡翠")

    found = hits(page)
    assert any("冰种翡翠手镯" in hit for hit in found)
    assert any("这只冰种翡翠手镯水头非常好" in hit and "0:12" in hit for hit in found)
    assert "<mark>翡翠</mark>" in page
    assert f"/media/recordings/{stocked}?t=12" in hit_links(page)


def test_merchant_finds_two_characters_inside_a_longer_word(client_as, merchant, stocked):
    found = hits(_search(client_as(merchant), "和田"))

    assert any("新疆和田玉的籽料" in hit for hit in found)
    assert any("和田玉籽料吊坠" in hit for hit in found)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("feicui", "这只冰种翡翠手镯水头非常好"), ("hetianyu", "下面看一块新疆和田玉的籽料"),
     ("shouzhuo", "这只冰种翡翠手镯水头非常好"), ("yangzhibaiyu", "这个吊坠是羊脂白玉")],
)  # fmt: skip
def test_merchant_finds_chinese_by_toneless_pinyin(client_as, merchant, stocked, query, expected):
    page = _search(client_as(merchant), query)

    assert any(expected in hit for hit in hits(page))
    assert "<mark>" in page


@pytest.mark.parametrize("query", ["手鐲", "和闐玉", "冰種翡翠"])
def test_merchant_finds_simplified_text_with_traditional_characters(
    client_as, merchant, stocked, query
):
    assert hits(_search(client_as(merchant), query))


@pytest.mark.parametrize("query", ["braclet", "bracelets", "jadite", "BANGLE", "brace"])
def test_merchant_finds_english_despite_small_typo_plural_or_prefix(
    client_as, merchant, stocked, query
):
    assert any("Jadeite bracelet" in hit for hit in hits(_search(client_as(merchant), query)))


def test_exact_item_name_ranks_above_a_passing_mention(
    app, client_as, merchant, merchant_org, make_item, index_items
):
    make_item(merchant_org, sku="A-1", name="糯种手镯", description="比满绿翡翠手镯便宜很多")
    make_item(merchant_org, sku="A-2", name="翡翠手镯", aliases=[])
    make_item(merchant_org, sku="A-3", name="满绿翡翠手镯吊坠套装", description="翡翠手镯")
    index_items(merchant_org)

    found = hits(_search(client_as(merchant), "翡翠手镯"))

    assert found[0].startswith("翡翠手镯")
    assert len([hit for hit in found if "手镯" in hit]) == 3


def test_merchant_filters_by_kind_recording_item_and_date(
    app, client_as, merchant, merchant_org, stocked, make_recording
):
    other = make_recording(merchant_org.id, [(5.0, "另一场也说翡翠")], title="周四场")
    browser = client_as(merchant)

    sentences_only = hits(_search(browser, "翡翠", kind="sentence"))
    one_recording = hits(_search(browser, "翡翠", recording=str(other)))
    tomorrow = (date.today() + timedelta(days=1)).isoformat()

    assert len(sentences_only) == 2
    assert not any("FC-001" in hit for hit in sentences_only)
    assert one_recording == [next(h for h in one_recording if "另一场也说翡翠" in h)]
    assert NOTHING in _search(browser, "翡翠", date_from=tomorrow)
    assert len(hits(_search(browser, "翡翠", date_to=tomorrow, kind="sentence"))) == 2


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [("date_to", "9999-12-31", "Choose a day from 2000-01-01 to 2099-12-31."),
     ("date_from", "0001-01-01", "Choose a day from 2000-01-01 to 2099-12-31."),
     ("date_from", "2024-13-45", "Not a valid date value."),
     ("date_to", "soon", "Not a valid date value.")],
)  # fmt: skip
def test_merchant_with_a_date_out_of_range_or_unreadable_is_told_why_and_nothing_is_searched(
    client_as, merchant, stocked, field, value, error
):
    browser = in_english(client_as(merchant))
    query = {"q": "翡翠", field: value}

    page = browser.get("/search", query_string=query)
    partial = browser.get("/search", query_string=query, headers={"HX-Request": "true"})

    assert page.status_code == partial.status_code == 200
    assert field_errors(page.text, field) == [error]
    assert error in partial.text
    assert hits(page.text) == hits(partial.text) == []
    assert 'class="search-filters" open' in page.text


def test_merchant_filters_by_item_to_its_mentions_and_clips(
    app, client_as, merchant, merchant_org, stocked, make_item
):
    with app.app_context():
        refresh_mentions(db.session.get(Recording, stocked))
    from portal.catalog.models import Item
    from tests.portal.helpers import fetch

    item = fetch(app, Item, Item.sku == "HT-002")
    found = hits(_search(client_as(merchant), "籽料", item=str(item.id)))

    assert any("和田玉籽料吊坠" in hit for hit in found)
    assert any("新疆和田玉的籽料" in hit for hit in found)
    assert not any("FC-001" in hit for hit in found)


def test_many_spoken_moments_are_paginated(client_as, merchant, merchant_org, make_recording):
    make_recording(merchant_org.id, [(n * 3.0, f"第{n}次说翡翠") for n in range(25)])
    browser = client_as(merchant)

    first = _search(browser, "翡翠", kind="sentence")
    second = _search(browser, "翡翠", kind="sentence", page="2")

    assert len(hits(first)) == 20
    assert len(hits(second)) == 5
    assert "page=2" in first
    assert not set(hits(first)) & set(hits(second))


def test_grouped_results_link_to_all_hits_of_a_kind(
    client_as, merchant, merchant_org, make_recording
):
    make_recording(merchant_org.id, [(n * 3.0, f"第{n}遍讲翡翠") for n in range(8)])

    page = _search(client_as(merchant), "翡翠")

    assert len(hits(page)) == 5
    assert "kind=sentence" in page


def test_empty_result_says_so_and_suggests_a_close_term(client_as, merchant, stocked):
    page = _search(client_as(merchant), "非翠")

    assert NOTHING in page
    assert "“非翠”" in page
    assert 'href="/search?q=%E7%BF%A1%E7%BF%A0"' in page  # 翡翠, same pinyin


def test_empty_english_result_suggests_a_spelling(client_as, merchant, stocked):
    page = _search(client_as(merchant), "bangel bracelt")

    assert hits(page)  # corrected automatically
    assert 'class="muted search-corrected"' in page


def test_header_list_answers_htmx_with_a_partial(client_as, merchant, stocked):
    browser = client_as(merchant)

    partial = browser.get("/search/quick?q=翡翠", headers={"HX-Request": "true"})
    plain = browser.get("/search/quick?q=翡翠")

    assert partial.text.lstrip().startswith('<div id="search-quick"')
    assert len(hits(partial.text)) >= 2
    assert 'class="search-all"' in partial.text
    assert plain.status_code == 302
    assert plain.headers["Location"].startswith("/search?q=")


def test_results_page_answers_htmx_with_the_results_partial(client_as, merchant, stocked):
    page = client_as(merchant).get("/search?q=翡翠", headers={"HX-Request": "true"}).text

    assert page.lstrip().startswith('<div id="search-results"')


@pytest.mark.parametrize("path", ["/", "/library/", "/auth/login", "/search"])
def test_visitor_sees_the_search_box_on_every_page(client, path):
    page = client.get(path).text

    assert 'id="site-search"' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page


def test_visitor_with_empty_query_gets_a_prompt(client):
    page = client.get("/search?q=").text

    assert 'class="card empty search-prompt"' in page
