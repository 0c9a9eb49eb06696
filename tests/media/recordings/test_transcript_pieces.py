"""The transcript in pieces over HTTP: the recording page opens with a few minutes of a 4-hour
transcript, the rest comes piece by piece (no sentence missing or twice), jump to a time and
find in transcript, corrections on a piece far down, and who may ask for what."""

from __future__ import annotations

import re
from html import unescape

import pytest

from media.transcripts.pieces import FIRST_SENTENCES, MAX_HITS, PIECE_MS
from portal.auth.models import Role
from tests.support.long_transcript import add_long_recording, sentence_ids

HTMX = {"HX-Request": "true"}
PIECE_LINK = re.compile(r'<a class="piece-load" href="([^"]+)"')
SENTENCE_ID = re.compile(r'<li id="sentence-(\d+)"')
CLOCK_FORMAT = "Write the time as minutes:seconds, e.g. 1:13.2 (or 73.2 seconds)."


@pytest.fixture
def four_hours(app, merchant_org) -> int:
    """A 4-hour recording of ``merchant_org``: 3,600 sentences, one every 4 s."""
    with app.app_context():
        return add_long_recording(merchant_org.id)


def piece_urls(html: str) -> list[str]:
    return [unescape(url) for url in PIECE_LINK.findall(html)]


def shown_ids(html: str) -> list[int]:
    return [int(found) for found in SENTENCE_ID.findall(html)]


def test_merchant_opens_a_four_hour_recording_with_its_first_minutes_only(
    app, client_as, merchant, four_hours
):
    page = client_as(merchant).get(f"/media/recordings/{four_hours}")

    assert page.status_code == 200
    assert len(page.data) < 200_000, len(page.data)
    html = page.text
    assert "3600 sentences" in html
    shown = shown_ids(html)
    with app.app_context():
        every = sentence_ids(four_hours)
    assert shown == every[: len(shown)]
    assert FIRST_SENTENCES <= len(shown) < 2 * FIRST_SENTENCES
    # 48 pieces of 5 minutes; the ones not shown wait as links to their range
    urls = piece_urls(html)
    assert len(urls) == 48 - len(shown) // (PIECE_MS // 4000)
    assert urls[0] == f"/media/recordings/{four_hours}/transcript?from=600&to=900"
    assert 'hx-trigger="click, intersect once, load-piece"' in html
    assert 'id="transcript-at"' in html
    assert 'id="transcript-q"' in html


def test_pieces_hold_every_sentence_once_in_time_order(app, client_as, merchant, merchant_org):
    # Sentences on a piece's edge: 299.999 s is in the first piece, 300.000 s in the second.
    edges = {74: 299_999, 75: 300_000, 149: 599_999, 150: 600_000}
    with app.app_context():
        recording_id = add_long_recording(
            merchant_org.id, sentences=400, every_ms=4000, starts_ms=edges
        )
        every = sentence_ids(recording_id)
    browser = client_as(merchant)
    page = browser.get(f"/media/recordings/{recording_id}").text
    seen = shown_ids(page)

    for url in piece_urls(page):
        piece = browser.get(url, headers=HTMX)
        assert piece.status_code == 200
        assert piece.text.lstrip().startswith('<li id="piece-')
        assert "<html" not in piece.text
        seen += shown_ids(piece.text)

    assert seen == every
    first = browser.get(
        f"/media/recordings/{recording_id}/transcript?from=0&to=300", headers=HTMX
    ).text
    second = browser.get(
        f"/media/recordings/{recording_id}/transcript?from=300&to=600", headers=HTMX
    ).text
    assert shown_ids(first)[-1] == every[74]
    assert shown_ids(second)[0] == every[75]
    assert shown_ids(second)[-1] == every[149]
    assert 'data-start="299.999"' in first
    assert 'data-start="300.0"' in second


@pytest.mark.parametrize(
    "query",
    ["", "?from=abc", "?from=600&to=300", "?from=0&to=3600", "?from=nan", "?from=-5&to=10",
     "?from=inf"],
)  # fmt: skip
def test_piece_with_a_range_that_is_not_one_is_refused(client_as, merchant, four_hours, query):
    response = client_as(merchant).get(
        f"/media/recordings/{four_hours}/transcript{query}", headers=HTMX
    )
    assert response.status_code == 400


def test_piece_without_htmx_opens_the_page_there(client_as, merchant, four_hours):
    browser = client_as(merchant)
    response = browser.get(f"/media/recordings/{four_hours}/transcript?from=7200&to=7500")
    assert response.status_code == 302
    assert response.location == f"/media/recordings/{four_hours}?t=7200"

    page = browser.get(response.location).text
    assert "第1800句" in page
    assert "第0句" not in page
    assert len(page.encode()) < 200_000


@pytest.mark.parametrize(
    ("t", "first_shown"),
    [("-5", 0), ("abc", 0), ("nan", 0), ("5999.5", 1425), ("99999", 3525)],
)
def test_page_opens_its_transcript_at_the_time_asked_or_the_nearest_piece(
    app, client_as, merchant, four_hours, t, first_shown
):
    page = client_as(merchant).get(f"/media/recordings/{four_hours}", query_string={"t": t})
    assert page.status_code == 200
    with app.app_context():
        every = sentence_ids(four_hours)
    assert shown_ids(page.text)[0] == every[first_shown]


def test_jump_to_a_time_answers_where_to_go(client_as, merchant, four_hours):
    browser = client_as(merchant)
    url = f"/media/recordings/{four_hours}/transcript/jump"

    for written, seconds in [("2:00:00", 7200.0), ("1：05：00", 3900.0), ("125:30.5", 7530.5)]:
        answer = browser.get(url, query_string={"at": written}, headers=HTMX)
        assert answer.status_code == 200
        assert answer.text.lstrip().startswith('<form id="transcript-jump"')
        assert f'data-goto-now="{seconds}"' in answer.text
    whole = browser.get(url, query_string={"at": "2:00:00"})
    assert (whole.status_code, whole.location) == (302, f"/media/recordings/{four_hours}?t=7200.0")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("", "Write a time, e.g. 12:30 or 1:05:00."),
        ("12s", CLOCK_FORMAT),
        ("1:75:00", CLOCK_FORMAT),
        ("<b>1:00</b>", CLOCK_FORMAT),
        ("1:00:00:00", CLOCK_FORMAT),
        ("4:00:01", "The recording is only 4:00:00 long."),
    ],
)  # fmt: skip
def test_jump_to_a_bad_time_shows_why_in_place(client_as, merchant, four_hours, written, message):
    browser = client_as(merchant)
    url = f"/media/recordings/{four_hours}/transcript/jump"
    answer = browser.get(url, query_string={"at": written}, headers=HTMX)
    assert answer.status_code == 200
    assert f'<p class="error" role="alert">{message}</p>' in answer.text
    assert "data-goto-now" not in answer.text
    assert "<b>" not in answer.text
    page = browser.get(url, query_string={"at": written})
    assert page.status_code == 200
    assert "<html" in page.text
    assert f'<p class="error" role="alert">{message}</p>' in page.text


def test_find_in_transcript_lists_hits_with_their_times(app, client_as, merchant, merchant_org):
    texts = {
        10: "Today the JADE bangle is on sale.",
        900: "Hetian jade pendant, number two.",
        1500: "全场 100% 天然 A 货。",
        1501: "全场 1000 件现货。",
        2000: "链接 a_b 已上架。",
        2001: "链接 axb 已上架。",
        3000: "<script>alert('x')</script> 别信这种链接",
    }
    with app.app_context():
        recording_id = add_long_recording(merchant_org.id, texts=texts)
        ids = sentence_ids(recording_id)
    browser = client_as(merchant)
    url = f"/media/recordings/{recording_id}/transcript/find"

    def hits(query: str) -> str:
        answer = browser.get(url, query_string={"q": query}, headers=HTMX)
        assert answer.status_code == 200
        assert answer.text.lstrip().startswith('<div id="transcript-find"')
        return answer.text

    jade = hits("jade")
    assert "2 sentences hold “jade”." in jade
    assert f'data-goto="40.0" data-goto-sentence="sentence-{ids[10]}"' in jade
    assert "Today the <mark>JADE</mark> bangle is on sale." in jade
    assert f'href="/media/recordings/{recording_id}?t=3600.0#sentence-{ids[900]}"' in jade
    assert ">1:00:00.0<" in jade
    percent = hits("100%")
    assert "1 sentence holds “100%”." in percent
    assert "全场 <mark>100%</mark> 天然 A 货。" in percent
    underscore = hits("a_b")
    assert "1 sentence holds “a_b”." in underscore
    assert "axb" not in underscore
    hostile = hits("<script>alert('x')</script>")
    assert "<script>" not in hostile
    assert "&lt;script&gt;" in hostile
    assert "1 sentence holds" in hostile
    assert "No sentence holds “%%”." in hits("%%")
    many = hits("翡翠")
    assert "3593 sentences hold “翡翠”." in many
    assert f"The first {MAX_HITS} are listed." in many
    assert many.count("data-goto=") == MAX_HITS
    cleared = browser.get(url, headers=HTMX).text
    assert "<mark>" not in cleared
    assert 'role="alert"' not in cleared


@pytest.mark.parametrize(
    ("query", "message"),
    [("   ", "Write a word or a few to find."), ("玉" * 101, "Write at most 100 characters.")],
)
def test_find_with_nothing_or_too_much_shows_why_in_place(
    client_as, merchant, four_hours, query, message
):
    answer = client_as(merchant).get(
        f"/media/recordings/{four_hours}/transcript/find", query_string={"q": query}, headers=HTMX
    )
    assert answer.status_code == 200
    assert f'<p class="error" role="alert">{message}</p>' in answer.text
    assert "<mark>" not in answer.text


def test_merchant_corrects_a_sentence_far_down_and_its_piece_shows_it(
    app, client_as, merchant, four_hours
):
    browser = client_as(merchant)
    with app.app_context():
        far = sentence_ids(four_hours)[3500]  # at 3:53:20
    url = f"/media/recordings/{four_hours}/sentences/{far}"
    form = browser.get(f"{url}?edit=1", headers=HTMX).text
    assert 'class="sentence-form"' in form
    assert f'href="/media/recordings/{four_hours}?t=14000.0#sentence-{far}"' in form

    saved = browser.post(url, data={"text": "第3500句：改好了的句子。"}, headers=HTMX)
    assert saved.status_code == 200
    assert "第3500句：改好了的句子。" in saved.text
    piece = browser.get(
        f"/media/recordings/{four_hours}/transcript?from=13800&to=14100", headers=HTMX
    ).text
    assert "第3500句：改好了的句子。" in piece
    assert ">第3500句：这只" not in piece  # the recognised text stays only in the badge's title
    assert ">edited</span>" in piece
    found = browser.get(
        f"/media/recordings/{four_hours}/transcript/find", query_string={"q": "改好了"},
        headers=HTMX,
    ).text  # fmt: skip
    assert "1 sentence holds “改好了”." in found


def test_transcript_routes_of_another_organisation_or_before_transcription_are_404(
    app, client_as, make_org, make_user, merchant, merchant_org, four_hours
):
    outsider = client_as(make_user(Role.MERCHANT, make_org()))
    base = f"/media/recordings/{four_hours}/transcript"
    urls = [f"{base}?from=0&to=300", f"{base}/jump?at=1:00", f"{base}/find?q=翡翠"]
    for url in urls:
        assert outsider.get(url, headers=HTMX).status_code == 404, url
        assert outsider.get(url).status_code == 404, url

    with app.app_context():
        from media.recordings.models import Recording
        from portal.extensions import db

        bare = Recording(org_id=merchant_org.id, title="未转写", stored_name="b.mp4")
        db.session.add(bare)
        db.session.commit()
        bare_id = bare.id
    own = client_as(merchant)
    for url in urls:
        assert own.get(url.replace(f"/{four_hours}/", f"/{bare_id}/")).status_code == 404, url
