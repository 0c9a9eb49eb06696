"""The stream's item list over HTTP: search the catalog, tick to add, link numbers, reorder,
remove, the service other parts call, and another organisation's recording (404)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from media.clips.discovery import MENTIONS_JOB
from media.recordings.models import Recording, StreamItem
from media.recordings.names_again import NAMES_JOB
from media.recordings.stream_items import stream_items, stream_links
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.catalog.models import Item
from portal.database import utcnow
from portal.extensions import db
from portal.jobs.models import Job
from portal.jobs.runner import run_queued_jobs
from tests.media.recordings.stream.conftest import HTMX, add, base, listed
from tests.portal.helpers import count_rows, field_errors, forms_of


def test_recording_page_shows_empty_item_list_with_search_and_import(
    client_as, merchant, merchant_org, add_recording
):
    recording_id = add_recording(merchant_org)

    html = client_as(merchant).get(f"/media/recordings/{recording_id}").text

    assert 'id="stream-items"' in html
    assert "Items of this stream" in html
    assert "No items chosen yet" in html
    assert f'action="{base(recording_id)}/search"' in html
    assert f'href="{base(recording_id)}/import"' in html


def test_recording_page_in_chinese_names_the_section(
    client_as, merchant, merchant_org, add_recording
):
    recording_id = add_recording(merchant_org)

    html = client_as(merchant).get(f"/media/recordings/{recording_id}?lang=zh").text

    assert "本场商品" in html


@pytest.mark.parametrize(
    ("query", "found"),
    [("翡翠", ["JD-001"]), ("ht-00", ["HT-002"]), ("白玉", ["HT-002"]), ("PEARL", ["PL-003"]),
     ("手镯", ["JD-001"]), ("nothing", [])],
)  # fmt: skip
def test_merchant_searches_active_catalog_by_name_sku_or_alias(
    client_as, merchant, merchant_org, add_recording, catalog, query, found
):
    recording_id = add_recording(merchant_org)

    response = client_as(merchant).get(f"{base(recording_id)}/search?q={query}", headers=HTMX)

    assert response.status_code == 200
    assert 'id="stream-item-results"' in response.text
    assert "<html" not in response.text
    shown = [sku for sku in ("JD-001", "HT-002", "PL-003", "OLD-9") if sku in response.text]
    assert shown == found
    if not found:
        assert "No catalog item matches" in response.text


def test_search_without_javascript_is_a_whole_page_marking_listed_items(
    client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["bangle"])

    html = browser.get(f"{base(recording_id)}/search?q=").text

    assert "<html" in html
    add_form = next(f for f in forms_of(html) if f.action == f"{base(recording_id)}/add")
    assert f'name="item_ids" value="{catalog["pendant"].id}"' in html
    assert f'name="item_ids" value="{catalog["bangle"].id}"' not in html  # on the list: no box
    assert "On the list" in html
    assert add_form.method == "post"


def test_merchant_ticks_items_to_add_them_numbered_in_order(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)

    response = add(client_as(merchant), recording_id, catalog["pendant"], catalog["bangle"])

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/media/recordings/{recording_id}#stream-items")
    assert listed(app, recording_id) == [(1, "HT-002"), (2, "JD-001")]  # in the order ticked


def test_adding_with_htmx_answers_the_section_and_adds_after_the_last_number(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["bangle"])

    response = add(browser, recording_id, catalog["pearl"], catalog["bangle"], **HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="stream-items"')
    assert "Freshwater pearl necklace" in response.text
    assert listed(app, recording_id) == [(1, "JD-001"), (2, "PL-003")]


def test_adding_an_archived_or_foreign_item_is_refused_and_saves_nothing(
    app, client_as, merchant, merchant_org, add_recording, catalog, make_org, make_item
):
    recording_id = add_recording(merchant_org)
    foreign = make_item(make_org("other"), "B-1", name="别人的手镯")

    for item in (foreign, catalog["old"]):
        response = add(client_as(merchant), recording_id, catalog["bangle"], item, **HTMX)
        assert response.status_code == 200
        assert "Choose items from your own catalog." in response.text
    assert listed(app, recording_id) == []


def test_adding_nothing_ticked_says_so_in_place(
    app, client_as, merchant, merchant_org, add_recording
):
    recording_id = add_recording(merchant_org)

    response = add(client_as(merchant), recording_id, **HTMX)

    assert response.status_code == 200
    assert "Tick the items to add." in response.text


def number(browser, recording_id: int, item: Item, value: str) -> Any:
    return browser.post(
        f"{base(recording_id)}/{item.id}/number", data={"link_number": value}, headers=HTMX
    )


def test_merchant_changes_and_clears_link_numbers(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["bangle"], catalog["pendant"])

    assert number(browser, recording_id, catalog["bangle"], "12").status_code == 200
    assert listed(app, recording_id) == [(2, "HT-002"), (12, "JD-001")]
    assert number(browser, recording_id, catalog["pendant"], "").status_code == 200
    assert listed(app, recording_id) == [(12, "JD-001"), (None, "HT-002")]


@pytest.mark.parametrize(
    ("value", "error"),
    [("2", "Link number 2 is already used by 和田玉吊坠."), ("0", "from 1 to 999"),
     ("1000", "from 1 to 999"), ("abc", "Not a valid integer value.")],
)  # fmt: skip
def test_wrong_link_number_is_an_error_beside_the_item_and_changes_nothing(
    app, client_as, merchant, merchant_org, add_recording, catalog, value, error
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["bangle"], catalog["pendant"])

    response = number(browser, recording_id, catalog["bangle"], value)

    assert response.status_code == 200
    assert any(error in e for e in field_errors(response.text, f"link-{catalog['bangle'].id}"))
    assert listed(app, recording_id) == [(1, "JD-001"), (2, "HT-002")]


def test_merchant_moves_items_up_and_down_carrying_the_numbers(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["bangle"], catalog["pendant"], catalog["pearl"])
    number(browser, recording_id, catalog["pearl"], "")

    moved = move(browser, recording_id, catalog["pearl"], "up")
    assert moved.status_code == 302
    assert listed(app, recording_id) == [(1, "JD-001"), (2, "PL-003"), (None, "HT-002")]
    move(browser, recording_id, catalog["bangle"], "down")
    assert listed(app, recording_id) == [(1, "PL-003"), (2, "JD-001"), (None, "HT-002")]
    move(browser, recording_id, catalog["pearl"], "up")  # at the top already
    move(browser, recording_id, catalog["bangle"], "sideways")
    assert listed(app, recording_id) == [(1, "PL-003"), (2, "JD-001"), (None, "HT-002")]


def move(browser, recording_id: int, item: Item, direction: str) -> Any:
    return browser.post(f"{base(recording_id)}/{item.id}/move", data={"direction": direction})


def test_merchant_numbers_the_list_in_its_order_and_removes_an_item(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["bangle"], catalog["pendant"], catalog["pearl"])
    number(browser, recording_id, catalog["bangle"], "30")
    number(browser, recording_id, catalog["pendant"], "")

    assert browser.post(f"{base(recording_id)}/renumber").status_code == 302
    assert listed(app, recording_id) == [(1, "PL-003"), (2, "JD-001"), (3, "HT-002")]
    removed = browser.post(f"{base(recording_id)}/{catalog['bangle'].id}/remove", headers=HTMX)
    assert removed.status_code == 200
    assert "冰种翡翠手镯" not in removed.text
    assert listed(app, recording_id) == [(1, "PL-003"), (3, "HT-002")]
    assert count_rows(app, Item) == 4  # the catalog keeps the item


def test_item_not_on_the_list_answers_404(
    client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)

    for action in ("number", "move", "remove"):
        url = f"{base(recording_id)}/{catalog['bangle'].id}/{action}"
        assert browser.post(url, data={"link_number": "3", "direction": "up"}).status_code == 404


def test_service_lists_active_items_by_link_number_then_position(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["bangle"], catalog["pendant"], catalog["pearl"])
    number(browser, recording_id, catalog["bangle"], "")
    number(browser, recording_id, catalog["pearl"], "1")
    with app.app_context():
        db.session.get(Item, catalog["pendant"].id).archived_at = utcnow()
        db.session.commit()
        recording = db.session.get(Recording, recording_id)

        assert [item.sku for item in stream_items(recording)] == ["PL-003", "JD-001"]
        assert [(n, item.sku) for n, item in stream_links(recording)] == [
            (1, "PL-003"), (None, "JD-001"),
        ]  # fmt: skip


def test_archived_item_on_the_list_is_marked_on_the_page(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["bangle"])
    with app.app_context():
        db.session.get(Item, catalog["bangle"].id).archived_at = utcnow()
        db.session.commit()

    html = browser.get(f"/media/recordings/{recording_id}").text

    assert "冰种翡翠手镯" in html
    assert "Archived" in html


def mention_jobs(app, recording_id: int) -> int:
    return count_rows(app, Job, Job.kind == MENTIONS_JOB, Job.subject_id == recording_id)


def names_jobs(app, recording_id: int) -> int:
    return count_rows(app, Job, Job.kind == NAMES_JOB, Job.subject_id == recording_id)


def test_changing_the_list_of_a_transcribed_recording_queues_finding_items_again(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    transcribed, fresh = add_recording(merchant_org, True), add_recording(merchant_org)
    browser = client_as(merchant)

    add(browser, transcribed, catalog["bangle"])
    add(browser, fresh, catalog["bangle"])

    assert names_jobs(app, transcribed) == 1  # the names first, then the items found in them
    assert mention_jobs(app, transcribed) == 0
    assert names_jobs(app, fresh) == mention_jobs(app, fresh) == 0  # transcription does both
    browser.post(f"{base(transcribed)}/{catalog['bangle'].id}/remove")
    assert names_jobs(app, transcribed) == 1  # one is already waiting
    with app.app_context():
        run_queued_jobs()
    assert mention_jobs(app, transcribed) == 1  # no name changed: found again all the same


def other_orgs_requests(recording_id: int, item_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", f"{base(recording_id)}/search?q=手镯"),
        ("POST", f"{base(recording_id)}/add"),
        ("POST", f"{base(recording_id)}/add-found"),
        ("POST", f"{base(recording_id)}/{item_id}/number"),
        ("POST", f"{base(recording_id)}/{item_id}/move"),
        ("POST", f"{base(recording_id)}/{item_id}/remove"),
        ("POST", f"{base(recording_id)}/renumber"),
        ("GET", f"{base(recording_id)}/import"),
        ("POST", f"{base(recording_id)}/import"),
        ("POST", f"{base(recording_id)}/import/confirm"),
    ]


def test_merchant_of_another_org_gets_404_and_changes_nothing(
    app, client_as, merchant, merchant_org, add_recording, catalog, make_org, make_user
):
    recording_id = add_recording(merchant_org)
    add(client_as(merchant), recording_id, catalog["bangle"])
    other = make_org("other")
    theirs = client_as(make_user(Role.MERCHANT, other))
    data = {"item_ids": [str(catalog["pendant"].id)], "link_number": "7", "direction": "down",
            "text": "链接,SKU\n1,HT-002\n"}  # fmt: skip

    for method, url in other_orgs_requests(recording_id, catalog["bangle"].id):
        answer = theirs.open(url, method=method, data=data if method == "POST" else None)
        assert answer.status_code == 404, (method, url)

    assert listed(app, recording_id) == [(1, "JD-001")]
    assert count_rows(app, StreamItem) == 1


def test_section_is_open_until_transcribed_then_folded_once_items_are_chosen(
    client_as, merchant, merchant_org, add_recording, catalog
):
    fresh, transcribed = add_recording(merchant_org), add_recording(merchant_org, True)
    browser = client_as(merchant)

    def is_open(recording_id: int) -> bool:
        html = browser.get(f"/media/recordings/{recording_id}").text
        return "<details open>" in html[html.index('id="stream-items"') :]

    assert is_open(fresh)
    assert is_open(transcribed)  # nothing chosen yet: the section invites choosing
    add(browser, transcribed, catalog["bangle"])
    add(browser, fresh, catalog["bangle"])
    assert is_open(fresh)
    assert not is_open(transcribed)


def test_upload_page_says_where_to_choose_the_streams_items(client_as, merchant):
    html = client_as(merchant).get("/media/recordings/").text

    assert "choose this stream's items" in html


def test_every_change_of_the_list_is_audited_with_who_and_which_recording(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    url = base(recording_id)

    add(browser, recording_id, catalog["bangle"], catalog["pendant"])
    number(browser, recording_id, catalog["bangle"], "7")
    move(browser, recording_id, catalog["bangle"], "up")
    browser.post(f"{url}/renumber")
    browser.post(f"{url}/{catalog['pendant'].id}/remove")
    browser.post(f"{url}/import/confirm", data={"text": "1,HT-002\n"})

    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "Recording").order_by(AuditEvent.id)
        ).all()
        assert [e.action for e in events] == [
            "recording.items_added", "recording.items_link_set", "recording.items_moved",
            "recording.items_numbered", "recording.items_removed", "recording.items_imported",
        ]  # fmt: skip
        assert {(e.actor_id, e.object_id, e.org_id) for e in events} == {
            (merchant.id, recording_id, merchant_org.id)
        }
