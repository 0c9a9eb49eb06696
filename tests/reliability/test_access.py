"""Access control over every route: an anonymous visitor, a streamer and a trainer, with the
object ids of organisation A, get the answer the table says; mass assignment is ignored.

The walk covers every rule of ``app.url_map`` except the courses routes (their own walker lives
in ``tests/courses``); a new route fails ``test_every_route_is_in_the_access_table`` until it is
listed with its answers. Members of another organisation are walked by
``tests/portal/test_tenancy.py``. Each request comes from a fresh user, because signing out ends
every session of the user.
"""

from __future__ import annotations

import io

import pytest

from media.clips.models import Clip
from media.recordings.models import Recording
from portal.auth.models import Role, User
from portal.catalog.models import Item
from portal.organisations.models import Organisation, OrgStatus
from portal.tokens.models import ApiToken
from tests.portal.helpers import count_rows, fetch, png_bytes
from tests.portal.test_tenancy import ID_KINDS
from tests.reliability.helpers import walk_routes

LOGIN = "login"  # a redirect to the sign-in page
WHO = ("anonymous", "streamer", "trainer")

# "endpoint METHOD" -> the answer for (anonymous, streamer, trainer), posting no data.
ROUTES: dict[str, tuple[int | str, int, int]] = {
    "admin.categories GET": (LOGIN, 403, 403),
    "admin.categories POST": (LOGIN, 403, 403),
    "admin.organisations GET": (LOGIN, 403, 403),
    "admin.organisations POST": (LOGIN, 403, 403),
    "admin.suspension POST": (LOGIN, 403, 403),
    "admin.user_detail GET": (LOGIN, 403, 403),
    "admin.user_detail POST": (LOGIN, 403, 403),
    "admin.users GET": (LOGIN, 403, 403),
    "admin.users POST": (LOGIN, 403, 403),
    "api.clip GET": (401, 403, 403),
    "api.suggestions GET": (401, 403, 403),
    "auth.accept_invite GET": (400, 400, 400),
    "auth.accept_invite POST": (400, 400, 400),
    "auth.account GET": (LOGIN, 200, 200),
    "auth.account POST": (LOGIN, 200, 200),
    "auth.apply GET": (200, 200, 200),
    "auth.apply POST": (200, 200, 200),
    "auth.change_password POST": (LOGIN, 200, 200),
    "auth.forgot GET": (200, 200, 200),
    "auth.forgot POST": (200, 200, 200),
    "auth.language POST": (302, 302, 302),
    "auth.login GET": (200, 200, 200),
    "auth.login POST": (200, 200, 200),
    "auth.logout POST": (302, 302, 302),
    "auth.register GET": (200, 200, 200),
    "auth.register POST": (200, 200, 200),
    "auth.reset GET": (400, 400, 400),
    "auth.reset POST": (400, 400, 400),
    "catalog.add_photos POST": (LOGIN, 403, 403),
    "catalog.archive POST": (LOGIN, 403, 403),
    "catalog.certificate_image GET": (LOGIN, 403, 403),
    "catalog.create GET": (LOGIN, 403, 403),
    "catalog.create POST": (LOGIN, 403, 403),
    "catalog.delete_photo POST": (LOGIN, 403, 403),
    "catalog.detail GET": (LOGIN, 403, 403),
    "catalog.edit GET": (LOGIN, 403, 403),
    "catalog.edit POST": (LOGIN, 403, 403),
    "catalog.export GET": (LOGIN, 403, 403),
    "catalog.import_preview GET": (LOGIN, 403, 403),
    "catalog.import_preview POST": (LOGIN, 403, 403),
    "catalog.import_upload GET": (LOGIN, 403, 403),
    "catalog.import_upload POST": (LOGIN, 403, 403),
    "catalog.index GET": (LOGIN, 403, 403),
    "catalog.move_photo POST": (LOGIN, 403, 403),
    "catalog.photo GET": (LOGIN, 403, 403),
    "catalog.staff_certificate_image GET": (LOGIN, 403, 200),
    "catalog.staff_detail GET": (LOGIN, 403, 200),
    "catalog.staff_index GET": (LOGIN, 403, 200),
    "catalog.staff_photo GET": (LOGIN, 403, 200),
    "clips.create POST": (LOGIN, 403, 403),
    "clips.cue GET": (LOGIN, 403, 403),
    "clips.cue POST": (LOGIN, 403, 403),
    "clips.cut POST": (LOGIN, 403, 403),
    "clips.move_edge POST": (LOGIN, 403, 403),
    "clips.details POST": (LOGIN, 403, 403),
    "clips.editor GET": (LOGIN, 403, 403),
    "clips.from_suggestion POST": (LOGIN, 403, 403),
    "clips.item_clips GET": (LOGIN, 403, 403),
    "clips.key_facts POST": (LOGIN, 403, 403),
    "clips.learn_alias POST": (LOGIN, 403, 403),
    "clips.publish_kit GET": (LOGIN, 403, 403),
    "clips.refresh POST": (LOGIN, 403, 403),
    "clips.render POST": (LOGIN, 403, 403),
    "clips.render_status GET": (LOGIN, 403, 403),
    "clips.set_range POST": (LOGIN, 403, 403),
    "clips.sentences GET": (LOGIN, 403, 403),
    "clips.version_file GET": (LOGIN, 403, 403),
    "qa.override POST": (LOGIN, 403, 403),
    "clips.overview_sprite GET": (LOGIN, 403, 403),
    "clips.workshop GET": (LOGIN, 403, 403),
    "clips.workshop_piece GET": (LOGIN, 403, 403),
    "compliance.activation POST": (LOGIN, 403, 403),
    "compliance.edit GET": (LOGIN, 403, 403),
    "compliance.edit POST": (LOGIN, 403, 403),
    "compliance.index GET": (LOGIN, 403, 403),
    "compliance.index POST": (LOGIN, 403, 403),
    "glossary.activation POST": (LOGIN, 403, 403),
    "glossary.edit GET": (LOGIN, 403, 403),
    "glossary.edit POST": (LOGIN, 403, 403),
    "glossary.index GET": (LOGIN, 403, 403),
    "glossary.index POST": (LOGIN, 403, 403),
    "home.clips GET": (LOGIN, 403, 403),
    "home.health GET": (200, 200, 200),
    "home.index GET": (200, 200, 200),
    "home.transcribing_now GET": (LOGIN, 403, 403),
    "jobs.act POST": (LOGIN, 403, 403),
    "jobs.index GET": (LOGIN, 403, 403),
    "library.clip GET": (404, 404, 404),
    "library.embed GET": (404, 404, 404),
    "library.feed_atom GET": (200, 200, 200),
    "library.feed_json GET": (200, 200, 200),
    "library.index GET": (200, 200, 200),
    "library.item GET": (404, 404, 404),
    "library.media GET": (404, 404, 404),
    "library.photo GET": (404, 404, 404),
    "library.share GET": (404, 404, 404),
    "library.static GET": (404, 404, 404),
    # Notifications: everyone's own; the walk's id names no notification of theirs (404).
    "notifications.index GET": (LOGIN, 200, 200),
    "notifications.settings POST": (LOGIN, 200, 200),
    "notifications.open_notification GET": (LOGIN, 404, 404),
    "notifications.mark_read POST": (LOGIN, 404, 404),
    "notifications.mark_all_read POST": (LOGIN, 302, 302),
    "recordings.cancel POST": (LOGIN, 403, 403),
    "recordings.delete POST": (LOGIN, 403, 403),
    "recordings.detail GET": (LOGIN, 403, 403),
    "recordings.index GET": (LOGIN, 403, 403),
    "recordings.index POST": (LOGIN, 403, 403),
    "recordings.live_account POST": (LOGIN, 403, 403),
    "recordings.retry POST": (LOGIN, 403, 403),
    "recordings.sentence GET": (LOGIN, 403, 403),
    "recordings.sentence POST": (LOGIN, 403, 403),
    "recordings.status GET": (LOGIN, 403, 403),
    "recordings.undo_correction POST": (LOGIN, 403, 403),
    "recordings.transcript_file GET": (LOGIN, 403, 403),
    "recordings.transcript_find GET": (LOGIN, 403, 403),
    "recordings.transcript_jump GET": (LOGIN, 403, 403),
    "recordings.transcript_piece GET": (LOGIN, 403, 403),
    "recordings.video GET": (LOGIN, 403, 403),
    "review.add_comment POST": (LOGIN, 404, 302),
    "review.approved GET": (LOGIN, 403, 200),
    "review.clip_page GET": (LOGIN, 403, 200),
    "review.dashboard GET": (LOGIN, 403, 200),
    "review.decide POST": (LOGIN, 403, 409),
    "review.override POST": (LOGIN, 403, 200),
    "review.publication POST": (LOGIN, 404, 302),  # a refused publish: flashed on the page
    "review.queue GET": (LOGIN, 403, 200),
    "review.resolve_comment POST": (LOGIN, 404, 302),
    "review.submit POST": (LOGIN, 403, 403),
    "review.version_file GET": (LOGIN, 403, 404),
    "screening.application GET": (LOGIN, 403, 403),
    "screening.application POST": (LOGIN, 403, 403),
    "screening.decide POST": (LOGIN, 403, 409),
    "screening.licence GET": (LOGIN, 403, 403),
    "screening.queue GET": (LOGIN, 403, 200),
    "screening.reinstate POST": (LOGIN, 403, 409),
    "screening.review GET": (LOGIN, 403, 200),
    "screening.staff_licence GET": (LOGIN, 403, 404),
    "screening.suspend POST": (LOGIN, 403, 200),
    "search.index GET": (200, 200, 200),
    "search.quick GET": (302, 302, 302),
    "static GET": (200, 200, 200),
    "stream_items.add POST": (LOGIN, 403, 403),
    "stream_items.add_found POST": (LOGIN, 403, 403),
    "stream_items.import_confirm POST": (LOGIN, 403, 403),
    "stream_items.import_list GET": (LOGIN, 403, 403),
    "stream_items.import_list POST": (LOGIN, 403, 403),
    "stream_items.move POST": (LOGIN, 403, 403),
    "stream_items.number POST": (LOGIN, 403, 403),
    "stream_items.remove POST": (LOGIN, 403, 403),
    "stream_items.renumber POST": (LOGIN, 403, 403),
    "stream_items.search GET": (LOGIN, 403, 403),
    "styles.clip_style POST": (LOGIN, 403, 403),
    "styles.delete_logo POST": (LOGIN, 403, 403),
    "styles.logo GET": (LOGIN, 403, 403),
    "styles.set_template POST": (LOGIN, 403, 403),
    "styles.settings GET": (LOGIN, 403, 403),
    "styles.upload_logo POST": (LOGIN, 403, 403),
    "team.delete_live_account POST": (LOGIN, 403, 403),
    "team.live_account GET": (LOGIN, 403, 403),
    "team.live_account POST": (LOGIN, 403, 403),
    "team.live_accounts GET": (LOGIN, 403, 403),
    "team.live_accounts POST": (LOGIN, 403, 403),
    "team.member_role POST": (LOGIN, 403, 403),
    "team.members GET": (LOGIN, 403, 403),
    "team.members POST": (LOGIN, 403, 403),
    "team.remove POST": (LOGIN, 403, 403),
    "tokens.index GET": (LOGIN, 403, 403),
    "tokens.index POST": (LOGIN, 403, 403),
    "tokens.revoke POST": (LOGIN, 403, 403),
    "uploads.append PATCH": (401, 404, 404),
    "uploads.create POST": (401, 400, 400),
    "uploads.options OPTIONS": (204, 204, 204),
    "uploads.quota GET": (LOGIN, 200, 200),
    "uploads.status HEAD": (401, 404, 404),
    "uploads.terminate DELETE": (401, 404, 404),
}


def _answer(response) -> int | str:
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/auth/login"):
        return LOGIN
    return response.status_code


def test_every_route_is_in_the_access_table(app):
    walked = {
        key for key, _method, _url in walk_routes(app, dict.fromkeys(set(ID_KINDS.values()), 1))
    }

    assert walked == set(ROUTES), "a route was added or removed: list it in ROUTES with answers"


@pytest.mark.parametrize("who", WHO)
def test_user_gets_the_expected_answer_on_every_route(app, world, client_as, make_user, who):
    column = WHO.index(who)
    wrong = {}

    for key, method, url in walk_routes(app, world["ids"]):
        browser = app.test_client() if who == "anonymous" else client_as(make_user(Role(who)))
        headers = {"Tus-Resumable": "1.0.0"} if key.startswith("uploads.") else {}
        got = _answer(browser.open(url, method=method, headers=headers))
        if got != ROUTES[key][column]:
            wrong[key] = f"got {got}, expected {ROUTES[key][column]}"

    assert wrong == {}
    org_a = fetch(app, Organisation, Organisation.id == world["ids"]["org"])
    assert org_a.status == OrgStatus.APPROVED
    item = fetch(app, Item, Item.id == world["ids"]["item"])
    assert (item.sku, item.name, item.archived_at) == ("A-1", "A 的手镯", None)
    clip = fetch(app, Clip, Clip.id == world["ids"]["clip"])
    assert (clip.title, clip.state) == ("A 的片段", "draft")


# Mass assignment: fields a form does not have are ignored, whatever their names.

SNEAKY = {"role": "admin", "org_id": "1", "state": "published", "status": "approved"}


def _org_b(app) -> Organisation:
    return fetch(app, Organisation, Organisation.slug == "org-b")


def test_visitor_registering_with_role_and_org_fields_becomes_a_plain_streamer(app, client, world):
    sneaky = SNEAKY | {"org_id": str(world["ids"]["org"]), "auth_version": "0"}
    response = client.post(
        "/auth/register",
        data={"name": "Mallory", "email": "mallory@example.com", "password": "s3cret-pass",
              "confirm": "s3cret-pass", **sneaky},
    )  # fmt: skip

    assert response.status_code == 302
    user = fetch(app, User, User.email == "mallory@example.com")
    assert (user.role, user.org_id) == (Role.STREAMER, None)


def test_visitor_applying_with_status_field_gets_a_pending_organisation(app, client):
    response = client.post(
        "/auth/apply",
        data={"org_name": "Mallory Jade", "contact_phone": "13800138000", "name": "Mallory",
              "email": "m@example.com", "password": "s3cret-pass", "confirm": "s3cret-pass",
              **SNEAKY},
    )  # fmt: skip

    assert response.status_code == 302
    user = fetch(app, User, User.email == "m@example.com")
    assert user.role == Role.MERCHANT
    assert fetch(app, Organisation, Organisation.id == user.org_id).status == OrgStatus.PENDING


def test_streamer_posting_role_and_org_on_account_page_changes_only_name(
    app, client_as, make_user, world
):
    streamer = make_user(Role.STREAMER)
    response = client_as(streamer).post(
        "/auth/account",
        data={"name": "New name", "locale": "en", "email": "boss@example.com",
              **SNEAKY, "org_id": str(world["ids"]["org"])},
    )  # fmt: skip

    assert response.status_code in (200, 302)
    user = fetch(app, User, User.id == streamer.id)
    assert (user.name, user.role, user.org_id, user.email) == (
        "New name", Role.STREAMER, None, streamer.email,
    )  # fmt: skip


def test_merchant_posting_another_org_id_creates_in_own_organisation(app, world):
    browser_a, org_b = world["merchant_a"], _org_b(app)
    sneaky = SNEAKY | {"org_id": str(org_b.id), "archived_at": "2020-01-01"}

    item = browser_a.post(
        "/catalog/items/new",
        data={"sku": "A-9", "name": "A 的新手镯", "cert_image": (io.BytesIO(png_bytes()), "c.png"),
              **sneaky},
        content_type="multipart/form-data",
    )  # fmt: skip
    token = browser_a.post("/account/tokens/", data={"name": "A 的脚本", **sneaky})

    assert item.status_code == 302
    assert token.status_code == 200
    created = fetch(app, Item, Item.sku == "A-9")
    assert (created.org_id, created.archived_at) == (world["ids"]["org"], None)
    assert count_rows(app, Item, Item.org_id == org_b.id) == 0
    assert count_rows(app, ApiToken, ApiToken.org_id == org_b.id) == 0
    assert count_rows(app, Recording, Recording.org_id == org_b.id) == 0


def test_merchant_posting_state_on_clip_details_cannot_publish_it(app, world):
    clip_id, org_b = world["ids"]["clip"], _org_b(app)
    response = world["merchant_a"].post(
        f"/media/clips/{clip_id}/details",
        data={"title": "改名", "description": "", "item_ids": [str(world["ids"]["item"])],
              **SNEAKY, "org_id": str(org_b.id), "recording_id": "999"},
    )  # fmt: skip

    assert response.status_code == 302
    clip = fetch(app, Clip, Clip.id == clip_id)
    assert (clip.title, clip.state, clip.org_id) == ("改名", "draft", world["ids"]["org"])
    assert clip.recording_id == world["ids"]["recording"]
