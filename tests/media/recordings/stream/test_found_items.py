"""An empty list offers the items found in the transcript in one click (over HTTP).

The offer names each item and counts them; a click puts them on the list in the order found
(most mentioned first), numbered, which queues the names corrected again and the items found
again. Only the organisation's active items found are offered or added; another organisation's
merchant gets a 404.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from media.clips.discovery import MENTIONS_JOB, refresh_mentions
from media.recordings import stream_items
from media.recordings.models import Recording, StreamItem
from media.recordings.names_again import NAMES_JOB
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.database import utcnow
from portal.extensions import db
from portal.jobs.models import Job
from tests.media.recordings.stream.conftest import HTMX, base, listed
from tests.media.transcripts.spoken import store_spoken
from tests.portal.helpers import count_rows, forms_of

SPOKEN = [
    ["这款", "冰种翡翠手镯", "很", "透。"],
    ["再看", "和田玉吊坠。"],
    ["冰种翡翠手镯", "还有", "一只。"],
]


def _found_stream(app, org) -> int:
    """A recording whose transcript names the bangle twice and the pendant once, items found."""
    with app.app_context():
        recording_id = store_spoken(org.id, SPOKEN)
        refresh_mentions(db.session.get(Recording, recording_id))
        return recording_id


def _page(browser, recording_id: int, lang: str = "en") -> str:
    return browser.get(f"/media/recordings/{recording_id}?lang={lang}").text


def _offer(html: str):
    return next((f for f in forms_of(html) if f.action.endswith("/items/add-found")), None)


def _jobs(app, kind: str, recording_id: int) -> int:
    return count_rows(app, Job, Job.kind == kind, Job.subject_id == recording_id)


def test_empty_list_offers_the_items_found_with_their_names(
    app, client_as, merchant, merchant_org, catalog
):
    recording_id = _found_stream(app, merchant_org)

    html = _page(client_as(merchant), recording_id)

    offer = _offer(html)
    assert offer is not None
    assert offer.attrs["hx-post"] == f"{base(recording_id)}/add-found"
    assert "Add the 2 items found in this stream to the list" in html
    section = html[html.index('id="found-items"') :]
    assert section.index("冰种翡翠手镯") < section.index("和田玉吊坠")  # most mentioned first
    assert "Freshwater pearl necklace" not in section


def test_offer_in_chinese(app, client_as, merchant, merchant_org, catalog):
    recording_id = _found_stream(app, merchant_org)

    html = _page(client_as(merchant), recording_id, "zh")

    assert "把文字稿中找到的 2 件商品设为本场商品" in html
    assert "文字稿中找到的商品：" in html


def test_no_offer_without_items_found_or_once_the_list_has_items(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    browser = client_as(merchant)
    nothing_found = add_recording(merchant_org, True)
    recording_id = _found_stream(app, merchant_org)
    browser.post(f"{base(recording_id)}/add", data={"item_ids": [str(catalog["pearl"].id)]})

    assert _offer(_page(browser, nothing_found)) is None
    assert _offer(_page(browser, recording_id)) is None


def test_one_click_puts_the_found_items_on_the_list_and_corrects_again(
    app, client_as, merchant, merchant_org, catalog
):
    recording_id = _found_stream(app, merchant_org)
    browser = client_as(merchant)
    html = _page(browser, recording_id)
    offer = _offer(html)
    assert _ids(html) == [str(catalog["bangle"].id), str(catalog["pendant"].id)]

    answer = browser.post(offer.action, data=offer.fields | {"item_ids": _ids(html)},
                          headers=HTMX)  # fmt: skip

    assert answer.status_code == 200
    assert "<html" not in answer.text
    assert 'id="stream-items"' in answer.text
    assert "2 items found in this stream are now on the list" in answer.text
    assert _offer(answer.text) is None
    assert listed(app, recording_id) == [(1, "JD-001"), (2, "HT-002")]
    assert _jobs(app, NAMES_JOB, recording_id) == 1
    assert _jobs(app, MENTIONS_JOB, recording_id) == 0  # found again after the names job
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "recording.items_added")
        ).one()
        assert (event.actor_id, event.details["skus"]) == (merchant.id, ["JD-001", "HT-002"])


def _ids(html: str) -> list[str]:
    """The item ids the offer posts (one hidden field each)."""
    offer = html[html.index('id="found-items"') :]
    return re.findall(r'name="item_ids" value="(\d+)"', offer[: offer.index("</form>")])


def test_without_javascript_the_click_returns_to_the_recording(
    app, client_as, merchant, merchant_org, catalog
):
    recording_id = _found_stream(app, merchant_org)
    ids = [str(catalog["bangle"].id), str(catalog["pendant"].id)]

    answer = client_as(merchant).post(f"{base(recording_id)}/add-found", data={"item_ids": ids})

    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/media/recordings/{recording_id}#stream-items")
    assert len(listed(app, recording_id)) == 2


def test_archived_or_foreign_or_unfound_items_are_neither_offered_nor_added(
    app, client_as, merchant, merchant_org, catalog, make_org, make_item
):
    recording_id = _found_stream(app, merchant_org)
    foreign = make_item(make_org("other"), "X-1", name="冰种翡翠手镯")
    with app.app_context():  # archived after it was found
        db.session.get(type(catalog["pendant"]), catalog["pendant"].id).archived_at = utcnow()
        db.session.commit()
    browser = client_as(merchant)

    html = _page(browser, recording_id)
    assert "Add the 1 item found in this stream to the list" in html
    ids = [catalog["bangle"].id, catalog["pendant"].id, catalog["pearl"].id, foreign.id]
    browser.post(f"{base(recording_id)}/add-found", data={"item_ids": [str(i) for i in ids]})

    assert listed(app, recording_id) == [(1, "JD-001")]


def test_nothing_still_found_is_an_error_in_place(
    app, client_as, merchant, merchant_org, catalog, make_org, make_item
):
    recording_id = _found_stream(app, merchant_org)
    foreign = make_item(make_org("other"), "X-1", name="冰种翡翠手镯")
    browser = client_as(merchant)

    answer = browser.post(
        f"{base(recording_id)}/add-found", data={"item_ids": [str(foreign.id)]}, headers=HTMX
    )
    empty = browser.post(f"{base(recording_id)}/add-found", data={}, headers=HTMX)

    assert answer.status_code == 200
    assert 'role="alert">These items are no longer found in this stream.' in answer.text
    assert _offer(answer.text) is not None  # the offer stays, as it is now
    assert "No items were found in this stream." in empty.text
    assert count_rows(app, StreamItem) == 0


def test_offer_holds_no_more_than_a_list_does(
    app, client_as, merchant, merchant_org, catalog, monkeypatch
):
    recording_id = _found_stream(app, merchant_org)
    monkeypatch.setattr(stream_items, "MAX_ITEMS", 1)
    browser = client_as(merchant)

    html = _page(browser, recording_id)
    assert "Add the 1 item found in this stream to the list" in html
    offer = _offer(html)
    assert _ids(html) == [str(catalog["bangle"].id)]
    browser.post(offer.action, data={"item_ids": _ids(html)}, headers=HTMX)

    assert listed(app, recording_id) == [(1, "JD-001")]


def test_merchant_of_another_org_gets_404_and_adds_nothing(
    app, client_as, merchant_org, catalog, make_org, make_user
):
    recording_id = _found_stream(app, merchant_org)
    theirs = client_as(make_user(Role.MERCHANT, make_org("other")))

    answer = theirs.post(
        f"{base(recording_id)}/add-found", data={"item_ids": [str(catalog["bangle"].id)]}
    )

    assert answer.status_code == 404
    assert count_rows(app, StreamItem) == 0
