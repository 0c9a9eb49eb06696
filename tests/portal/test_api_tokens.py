"""An API token answers only while its owner may use the API: checked on every request.

The owner is the merchant who created the token. Suspending them, giving them a role that may
not use the API (or another organisation), or suspending their organisation makes the token
answer 403 with a JSON error at once; undoing it (through the same admin and screening pages)
makes the same token work again. A signed-in merchant's session follows the same rule.
"""

from __future__ import annotations

import pytest

from media.clips.models import Clip
from media.recordings.models import Recording
from portal.auth.models import Role
from portal.extensions import db
from portal.organisations.models import OrgStatus
from tests.portal.test_tenancy import _token_secret

NOT_ALLOWED = (403, {"error": "not allowed"})


@pytest.fixture
def api_urls(app, merchant_org):
    """The API's two routes, on a recording and a clip of the merchant's organisation."""
    with app.app_context():
        recording = Recording(org_id=merchant_org.id, title="周三晚场", stored_name="r.mp4")
        db.session.add(recording)
        db.session.flush()
        clip = Clip(
            org_id=merchant_org.id, recording_id=recording.id, title="手镯", start_ms=0, end_ms=5000
        )
        db.session.add(clip)
        db.session.commit()
        return [f"/api/recordings/{recording.id}/suggestions.json", f"/api/clips/{clip.id}.json"]


@pytest.fixture
def bearer(client_as, merchant):
    """The Authorization header of a token the merchant created on the tokens page."""
    return {"Authorization": f"Bearer {_token_secret(client_as(merchant), 'shop script')}"}


@pytest.fixture
def admin_browser(client_as, admin):
    return client_as(admin)


def _answers(client, urls, headers=None):
    """The (status, JSON) of each URL; 200s reduced to their status."""
    found = []
    for url in urls:
        response = client.get(url, headers=headers or {})
        found.append(200 if response.status_code == 200 else (response.status_code, response.json))
    return found


def _role(admin_browser, user, role, org_id=0):
    response = admin_browser.post(f"/admin/users/{user.id}", data={"role": role, "org": org_id})
    assert response.status_code == 302, response.text


def test_token_of_a_suspended_owner_gets_403_until_they_are_reinstated(
    client, admin_browser, merchant, bearer, api_urls
):
    assert _answers(client, api_urls, bearer) == [200, 200]

    admin_browser.post(f"/admin/users/{merchant.id}/suspension", data={"suspend": "1"})
    suspended = _answers(client, api_urls, bearer)
    admin_browser.post(f"/admin/users/{merchant.id}/suspension", data={"suspend": "0"})

    assert suspended == [NOT_ALLOWED, NOT_ALLOWED]
    assert _answers(client, api_urls, bearer) == [200, 200]


@pytest.mark.parametrize("role", [Role.STREAMER, Role.TRAINER, Role.ADMIN])
def test_token_of_an_owner_who_is_no_longer_a_merchant_gets_403_until_they_are_again(
    client, admin_browser, merchant, merchant_org, bearer, api_urls, role
):
    _role(admin_browser, merchant, role)
    demoted = _answers(client, api_urls, bearer)
    _role(admin_browser, merchant, Role.MERCHANT, merchant_org.id)

    assert demoted == [NOT_ALLOWED, NOT_ALLOWED]
    assert _answers(client, api_urls, bearer) == [200, 200]


def test_token_of_an_owner_moved_to_another_organisation_gets_403(
    client, admin_browser, merchant, make_org, bearer, api_urls
):
    _role(admin_browser, merchant, Role.MERCHANT, make_org("elsewhere").id)

    assert _answers(client, api_urls, bearer) == [NOT_ALLOWED, NOT_ALLOWED]


def test_token_of_a_suspended_organisation_gets_403_until_it_is_reinstated(
    app, client, client_as, trainer, merchant_org, bearer, api_urls
):
    staff = client_as(trainer)
    response = staff.post(f"/screening/{merchant_org.id}/suspension", data={"message": "假货"})
    assert response.status_code == 302, response.text
    suspended = _answers(client, api_urls, bearer)

    staff.post(f"/screening/{merchant_org.id}/reinstatement")

    assert suspended == [NOT_ALLOWED, NOT_ALLOWED]
    assert _answers(client, api_urls, bearer) == [200, 200]


@pytest.mark.parametrize("status", [OrgStatus.SUSPENDED, OrgStatus.PENDING, OrgStatus.REJECTED])
def test_merchant_session_of_an_organisation_not_approved_gets_403(
    client_as, make_org, make_user, status
):
    org = make_org(status=status)
    with_session = client_as(make_user(Role.MERCHANT, org))

    assert _answers(with_session, ["/api/recordings/1/suggestions.json"]) == [NOT_ALLOWED]
