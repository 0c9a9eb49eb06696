"""Tenancy: every object route hides another organisation's objects (404).

The test walks ``app.url_map``: a new route that takes an object id fails here until it
is added to ``OBJECT_ROUTES`` with who may use it (and its id argument to ``ID_KINDS``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from enum import Enum
from html import unescape

import pytest
from werkzeug.routing import IntegerConverter

from media.clips.models import (
    Clip,
    ClipCue,
    ClipItem,
    ClipVersion,
    Suggestion,
    SuggestionItem,
)
from media.recordings.models import Recording
from portal.auth.models import Role
from portal.catalog.models import CatalogImport, Item, ItemPhoto
from portal.comments.models import Comment
from portal.database import utcnow
from portal.extensions import db
from tests.portal.helpers import (
    count_rows,
    fetch,
    is_private,
    png_bytes,
    upload_photos,
    url_for_rule,
)


class Access(Enum):
    """Who may use an object route."""

    MERCHANT = "members of the owning organisation"
    STAFF = "trainers and administrators, any organisation, read-only"
    ADMIN = "administrators"
    API = "members of the owning organisation, by session or API token; no one else (401)"
    PUBLIC = "anyone, only published clips of approved organisations (the fixture's: 404)"


OWNED = (Access.MERCHANT, Access.API)
HIDDEN = (*OWNED, Access.PUBLIC)  # answer 404 to another organisation (or to anyone)


@dataclass(frozen=True)
class Route:
    """An object route: who may use it, and what its owner gets on GET (None: not checked)."""

    access: Access
    owner_get: int | None = 200
    staff_get: int | None = 200


OBJECT_ROUTES: dict[str, Route] = {
    "catalog.detail": Route(Access.MERCHANT),
    "catalog.edit": Route(Access.MERCHANT),
    "catalog.archive": Route(Access.MERCHANT),
    "catalog.certificate_image": Route(Access.MERCHANT),
    "catalog.import_preview": Route(Access.MERCHANT),
    "catalog.staff_detail": Route(Access.STAFF),
    "catalog.staff_certificate_image": Route(Access.STAFF),
    "catalog.add_photos": Route(Access.MERCHANT),
    "catalog.photo": Route(Access.MERCHANT),
    "catalog.move_photo": Route(Access.MERCHANT),
    "catalog.delete_photo": Route(Access.MERCHANT),
    "catalog.staff_photo": Route(Access.STAFF),
    "admin.user_detail": Route(Access.ADMIN),
    "admin.suspension": Route(Access.ADMIN),
    "jobs.act": Route(Access.ADMIN),
    "compliance.edit": Route(Access.ADMIN),
    "compliance.activation": Route(Access.ADMIN),
    "glossary.edit": Route(Access.ADMIN),
    "glossary.activation": Route(Access.ADMIN),
    # Recordings: the fixture row has no file, job or transcript, so only the pages are
    # checked for the owner; every route must still answer 404 to another organisation.
    "recordings.detail": Route(Access.MERCHANT),
    "recordings.status": Route(Access.MERCHANT),
    "recordings.cancel": Route(Access.MERCHANT),
    "recordings.retry": Route(Access.MERCHANT),
    "recordings.delete": Route(Access.MERCHANT),
    "recordings.video": Route(Access.MERCHANT, owner_get=None),
    "recordings.transcript_file": Route(Access.MERCHANT, owner_get=None),
    "recordings.sentence": Route(Access.MERCHANT, owner_get=None),
    "recordings.undo_correction": Route(Access.MERCHANT, owner_get=None),
    # The transcript's pieces, jump and find: no transcript yet, so 404 to the owner too.
    "recordings.transcript_piece": Route(Access.MERCHANT, owner_get=404),
    "recordings.transcript_jump": Route(Access.MERCHANT, owner_get=404),
    "recordings.transcript_find": Route(Access.MERCHANT, owner_get=404),
    # The stream's item list: the fixture's item is not on the recording's list, so its
    # number, move and remove answer 404 even to the owner (they are posts, never fetched).
    "stream_items.search": Route(Access.MERCHANT),
    "stream_items.add": Route(Access.MERCHANT),
    "stream_items.add_found": Route(Access.MERCHANT),
    "stream_items.number": Route(Access.MERCHANT),
    "stream_items.move": Route(Access.MERCHANT),
    "stream_items.remove": Route(Access.MERCHANT),
    "stream_items.renumber": Route(Access.MERCHANT),
    "stream_items.import_list": Route(Access.MERCHANT),
    "stream_items.import_confirm": Route(Access.MERCHANT),
    "tokens.revoke": Route(Access.MERCHANT),
    # Team: the owner acts on members (posts only); members manage the live accounts.
    "team.member_role": Route(Access.MERCHANT),
    "team.remove": Route(Access.MERCHANT),
    "team.live_account": Route(Access.MERCHANT),
    "team.delete_live_account": Route(Access.MERCHANT),
    "recordings.live_account": Route(Access.MERCHANT),
    # Clip workshop: the recording has no transcript and the version is not rendered, so the
    # pages show their empty states and the version's files answer 404 even to the owner.
    "clips.workshop": Route(Access.MERCHANT),
    "clips.overview_sprite": Route(Access.MERCHANT, owner_get=404),  # no overview made yet
    "clips.workshop_piece": Route(Access.MERCHANT, owner_get=400),  # asked without from=
    "clips.create": Route(Access.MERCHANT),
    "clips.from_suggestion": Route(Access.MERCHANT),
    "clips.refresh": Route(Access.MERCHANT),
    "clips.editor": Route(Access.MERCHANT),
    "clips.details": Route(Access.MERCHANT),
    "clips.set_range": Route(Access.MERCHANT),
    "clips.cue": Route(Access.MERCHANT),
    "clips.cut": Route(Access.MERCHANT),
    "clips.move_edge": Route(Access.MERCHANT),
    "clips.render": Route(Access.MERCHANT),
    "clips.render_status": Route(Access.MERCHANT),
    "clips.sentences": Route(Access.MERCHANT),
    "clips.version_file": Route(Access.MERCHANT, owner_get=None),
    "clips.item_clips": Route(Access.MERCHANT),
    "clips.learn_alias": Route(Access.MERCHANT),
    "clips.key_facts": Route(Access.MERCHANT),
    "clips.publish_kit": Route(Access.MERCHANT, owner_get=404),  # fixture clip not published
    "styles.clip_style": Route(Access.MERCHANT),
    "qa.override": Route(Access.MERCHANT, owner_get=None),
    # Review: staff pages; merchants submit and comment on their own clips only.
    "review.clip_page": Route(Access.STAFF),
    "review.decide": Route(Access.STAFF),
    "review.version_file": Route(Access.STAFF, staff_get=None),  # fixture version not rendered
    "review.submit": Route(Access.MERCHANT, owner_get=None),
    "review.add_comment": Route(Access.MERCHANT, owner_get=None),
    "review.resolve_comment": Route(Access.MERCHANT, owner_get=None),
    "review.override": Route(Access.STAFF),
    "review.publication": Route(Access.MERCHANT, owner_get=None),
    # Public library: the fixture's clip is a draft, so every page answers 404 to everyone.
    "library.clip": Route(Access.PUBLIC, owner_get=404, staff_get=404),
    "library.media": Route(Access.PUBLIC, owner_get=404, staff_get=404),
    "library.photo": Route(Access.PUBLIC, owner_get=404, staff_get=404),
    "library.item": Route(Access.PUBLIC, owner_get=404, staff_get=404),
    "library.share": Route(Access.PUBLIC, owner_get=404, staff_get=404),
    "library.embed": Route(Access.PUBLIC, owner_get=404, staff_get=404),
    "screening.licence": Route(Access.MERCHANT, owner_get=None),  # A sent no application
    "screening.review": Route(Access.STAFF),
    "screening.decide": Route(Access.STAFF),
    "screening.suspend": Route(Access.STAFF),
    "screening.reinstate": Route(Access.STAFF),
    "screening.staff_licence": Route(Access.STAFF, staff_get=None),  # A sent no application
    "api.suggestions": Route(Access.API),
    "api.clip": Route(Access.API),
}

# id argument name -> which of organisation A's objects it names
ID_KINDS = {
    "item_id": "item",
    "import_id": "import",
    "photo_id": "photo",
    "user_id": "user",
    "job_id": "user",  # admin-only: any id
    "term_id": "user",  # admin-only: any id
    "recording_id": "recording",
    "sentence_id": "recording",  # the recording is checked first
    "correction_id": "recording",  # the recording is checked first
    "token_id": "token",
    "account_id": "account",
    "clip_id": "clip",
    "suggestion_id": "suggestion",
    "cue_id": "cue",
    "version_id": "version",
    "comment_id": "comment",
    "org_id": "org",
    "notification_id": "user",  # a person's own: tests/portal/notifications walks them
}


def _object_rules(app):
    """Object routes of merchant-owned rows (courses and a person's own notifications have their
    own walkers: tests/courses, tests/portal/notifications)."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
        and not rule.endpoint.startswith(("courses", "notifications"))
    ]


def _recording(app, org_a, browser_a):
    with app.app_context():
        recording = Recording(org_id=org_a.id, title="A 的直播", stored_name="a.mp4")
        db.session.add(recording)
        db.session.commit()
        return recording.id


def _live_account(app, org_a):
    from portal.team.models import LiveAccount

    with app.app_context():
        account = LiveAccount(org_id=org_a.id, platform="douyin", name="A 的抖音号")
        db.session.add(account)
        db.session.commit()
        return account.id


def _clip_objects(app, org_a, recording_id, item_id):
    """A suggestion, a clip with one subtitle line, and a (not yet rendered) version of A's."""
    with app.app_context():
        suggestion = Suggestion(
            org_id=org_a.id, recording_id=recording_id, main_item_id=item_id, first_sentence=0,
            last_sentence=0, start_ms=0, end_ms=5000, score=1.0, mention_count=1,
            links=[SuggestionItem(item_id=item_id)],
        )  # fmt: skip
        clip = Clip(
            org_id=org_a.id, recording_id=recording_id, title="A 的片段", start_ms=0, end_ms=5000,
            links=[ClipItem(item_id=item_id)],
            cues=[ClipCue(sentence_position=0, start_ms=0, end_ms=5000, text="A 的字幕")],
        )  # fmt: skip
        db.session.add_all([suggestion, clip])
        db.session.flush()
        version = ClipVersion(
            org_id=org_a.id, clip_id=clip.id, number=1, created_at=utcnow(), profile="vertical",
            start_ms=0, end_ms=5000, stored_stem="a-version",
        )  # fmt: skip
        comment = Comment(
            subject_type="Clip", subject_id=clip.id, org_id=org_a.id, at_s=1.0, body="A 的评论"
        )
        db.session.add_all([version, comment])
        db.session.commit()
        return {
            "suggestion": suggestion.id,
            "clip": clip.id,
            "cue": clip.cues[0].id,
            "version": version.id,
            "comment": comment.id,
        }


def _token_secret(browser, name):
    """Create an API token on the tokens page; return its secret (shown once)."""
    page = browser.post("/account/tokens/", data={"name": name}).text
    return unescape(re.search(r'<code class="token-secret">(.*?)</code>', page).group(1))


def _token(app, org_a, browser_a):
    from portal.tokens.models import ApiToken

    assert browser_a.post("/account/tokens/", data={"name": "A 的上传器"}).status_code == 200
    return fetch(app, ApiToken, ApiToken.org_id == org_a.id).id


@pytest.fixture
def world(app, make_org, make_user, client_as):
    """Organisation A with an item (with certificate), a pending import, a recording..."""
    org_a, org_b = make_org("org-a"), make_org("org-b")
    merchant_a = make_user(Role.MERCHANT, org_a)
    browser_a = client_as(merchant_a)
    created = browser_a.post(
        "/catalog/items/new",
        data={"sku": "A-1", "name": "A 的手镯", "cert_image": (io.BytesIO(png_bytes()), "c.png")},
        content_type="multipart/form-data",
    )
    assert created.status_code == 302
    uploaded = browser_a.post(
        "/catalog/import",
        data={"file": (io.BytesIO("sku,name\nA-2,新\n".encode()), "c.csv")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    item_id = fetch(app, Item, Item.sku == "A-1").id
    assert upload_photos(browser_a, item_id, (png_bytes(), "p.png")).status_code == 302
    ids = {
        "item": item_id,
        "photo": fetch(app, ItemPhoto, ItemPhoto.item_id == item_id).id,
        "import": fetch(app, CatalogImport, CatalogImport.org_id == org_a.id).id,
        "user": merchant_a.id,
        "recording": _recording(app, org_a, browser_a),
        "org": org_a.id,
        "account": _live_account(app, org_a),
    }
    if "tokens.revoke" in app.view_functions:
        ids["token"] = _token(app, org_a, browser_a)
    ids |= _clip_objects(app, org_a, ids["recording"], ids["item"])
    return {
        "ids": ids,
        "merchant_a": browser_a,
        "merchant_b": client_as(make_user(Role.MERCHANT, org_b)),
    }


def _requests(app, ids):
    """Yield (endpoint, route, method, url) for every object route, with A's ids."""
    for rule in _object_rules(app):
        values = {arg: ids[ID_KINDS[arg]] for arg in rule.arguments if arg in ID_KINDS}
        url = url_for_rule(app, rule, values)
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, OBJECT_ROUTES[rule.endpoint], method, url


def test_every_object_route_is_listed_in_the_tenancy_table(app):
    rules = _object_rules(app)

    assert {rule.endpoint for rule in rules} == set(OBJECT_ROUTES), (
        "an object route was added or removed: list it in OBJECT_ROUTES with its access"
    )
    int_arguments = {
        name
        for rule in rules
        for name, converter in rule._converters.items()
        if isinstance(converter, IntegerConverter)
    }
    assert int_arguments <= set(ID_KINDS)


def test_merchant_of_other_org_gets_404_on_every_object_route(app, world):
    browser_b = world["merchant_b"]
    answers = {}

    for endpoint, route, method, url in _requests(app, world["ids"]):
        data = {"sku": "B-1", "name": "改了", "restore": "1"} if method == "POST" else None
        answers[endpoint, method] = browser_b.open(url, method=method, data=data).status_code
        expected = 404 if route.access in HIDDEN else 403
        assert answers[endpoint, method] == expected, (endpoint, method, url)

    assert list(answers.values()).count(404) >= 10
    item = fetch(app, Item, Item.id == world["ids"]["item"])
    assert (item.sku, item.name, item.archived_at) == ("A-1", "A 的手镯", None)
    assert count_rows(app, CatalogImport) == 1
    assert count_rows(app, Item) == 1
    if "token" in world["ids"]:
        from portal.tokens.models import ApiToken

        assert fetch(app, ApiToken, ApiToken.id == world["ids"]["token"]).revoked_at is None
    clip = fetch(app, Clip, Clip.id == world["ids"]["clip"])
    assert (clip.title, clip.start_ms, clip.end_ms) == ("A 的片段", 0, 5000)
    assert fetch(app, ClipCue, ClipCue.id == world["ids"]["cue"]).text == "A 的字幕"
    assert (count_rows(app, Clip), count_rows(app, ClipVersion)) == (1, 1)
    assert fetch(app, Item, Item.id == world["ids"]["item"]).aliases == []
    assert fetch(app, Clip, Clip.id == world["ids"]["clip"]).state == "draft"
    assert count_rows(app, Comment) == 1


def test_merchant_of_owning_org_reaches_every_merchant_object_route(app, world):
    browser_a = world["merchant_a"]

    for endpoint, route, method, url in _requests(app, world["ids"]):
        if method != "GET":
            continue
        if route.access in HIDDEN and route.owner_get is not None:
            assert browser_a.get(url).status_code == route.owner_get, (endpoint, url)
        elif route.access not in HIDDEN:
            assert browser_a.get(url).status_code == 403, (endpoint, url)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_staff_reach_every_staff_object_route_of_any_org(app, world, make_user, client_as, role):
    browser = client_as(make_user(role))

    for endpoint, route, method, url in _requests(app, world["ids"]):
        if method != "GET":
            continue
        if route.access is Access.STAFF and route.staff_get is None:
            continue
        if route.access is Access.PUBLIC:
            expected = route.staff_get
        elif route.access is Access.STAFF or (route.access is Access.ADMIN and role is Role.ADMIN):
            expected = 200
        elif route.access is Access.API:
            expected = 403  # a staff session is no API credential
        else:
            expected = 403
        assert browser.get(url).status_code == expected, (endpoint, url)


PAGE_TYPES = {"text/html", "application/json"}  # pages and API answers; anything else is a file


def test_files_served_to_their_owner_or_staff_are_never_kept_by_shared_caches(
    app, world, make_user, client_as
):
    browsers = [world["merchant_a"], client_as(make_user(Role.TRAINER))]
    files = []

    for endpoint, route, method, url in _requests(app, world["ids"]):
        if method != "GET" or route.access is Access.PUBLIC:
            continue
        for browser in browsers:
            answer = browser.get(url)
            assert not answer.cache_control.public, (endpoint, url)
            if answer.status_code == 200 and answer.mimetype not in PAGE_TYPES:
                files.append(endpoint)
                assert is_private(answer), (endpoint, url)

    assert {
        "catalog.certificate_image",
        "catalog.staff_certificate_image",
        "catalog.photo",
        "catalog.staff_photo",
    } <= set(files)


def test_merchant_gets_404_for_object_ids_that_do_not_exist(app, world):
    browser_a = world["merchant_a"]
    missing = dict.fromkeys([*world["ids"]], 999_999)

    for endpoint, route, method, url in _requests(app, missing):
        if route.access in HIDDEN:
            assert browser_a.open(url, method=method).status_code == 404, (endpoint, method)


def test_api_token_of_other_org_gets_404_on_every_api_route(app, client, world):
    their_header = {"Authorization": f"Bearer {_token_secret(world['merchant_b'], 'B 的脚本')}"}
    ours = _token_secret(world["merchant_a"], "A 的脚本")
    api_routes = [r for r in _requests(app, world["ids"]) if r[1].access is Access.API]
    assert api_routes

    for endpoint, _route, method, url in api_routes:
        answer = client.open(url, method=method, headers=their_header)
        assert answer.status_code == 404, (endpoint, url)
        # the token, not A's session beside it, names the organisation
        answer = world["merchant_a"].open(url, method=method, headers=their_header)
        assert answer.status_code == 404, (endpoint, url)
        answer = client.open(url, method=method, headers={"Authorization": f"Bearer {ours}"})
        assert answer.status_code == 200, (endpoint, url)
