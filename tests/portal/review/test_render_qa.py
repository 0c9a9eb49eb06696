"""A failing render QA report blocks submitting until the merchant overrides it with a reason."""

from sqlalchemy import select

from media.clips.models import Clip, ClipState, ClipVersion
from media.qa.models import RenderQaReport
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.database import utcnow
from portal.extensions import db
from tests.portal.helpers import in_english

FINDINGS = [
    {"check": "black", "start_s": 65.3, "end_s": 67.3, "detail": ""},
    {"check": "loudness", "start_s": None, "end_s": None, "detail": "-21.9/-16.0"},
]


def _with_report(app, make_clip, org, findings=FINDINGS):
    clip_id = make_clip(org)
    with app.app_context():
        version = db.session.scalar(select(ClipVersion).where(ClipVersion.clip_id == clip_id))
        db.session.add(
            RenderQaReport(
                org_id=org.id, stored_stem=version.stored_stem, checked_at=utcnow(),
                findings=findings,
            )
        )  # fmt: skip
        db.session.commit()
        return clip_id, version.id


def _state(app, clip_id):
    with app.app_context():
        return db.session.get(Clip, clip_id).state


def test_merchant_sees_findings_beside_the_version_and_no_submit_button(
    app, client_as, merchant, merchant_org, make_clip
):
    clip_id, version_id = _with_report(app, make_clip, merchant_org)
    page = in_english(client_as(merchant)).get(f"/media/clips/{clip_id}").get_data(as_text=True)
    assert f'id="qa-{version_id}"' in page
    assert "1:05.3–1:07.3" in page
    assert "Black picture" in page
    assert "-21.9 LUFS, target -16.0 LUFS" in page
    assert "failed its quality checks" in page
    assert f"/review/clips/{clip_id}/submit" not in page


def test_merchant_cannot_submit_a_version_that_failed_its_checks(
    app, client_as, merchant, merchant_org, make_clip
):
    clip_id, _ = _with_report(app, make_clip, merchant_org)
    response = client_as(merchant).post(f"/review/clips/{clip_id}/submit")
    assert response.status_code == 409
    assert _state(app, clip_id) == ClipState.READY


def test_override_without_a_reason_shows_the_error_in_place_and_writes_nothing(
    app, client_as, merchant, merchant_org, make_clip
):
    clip_id, version_id = _with_report(app, make_clip, merchant_org)
    response = in_english(client_as(merchant)).post(
        f"/clips/{clip_id}/versions/{version_id}/qa-override",
        data={"reason": "  "}, headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Say why the findings can stay" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(RenderQaReport)).override_reason is None


def test_override_with_a_reason_allows_submitting_and_the_trainer_reads_it(
    app, client_as, merchant, trainer, merchant_org, make_clip
):
    clip_id, version_id = _with_report(app, make_clip, merchant_org)
    merchant_client = client_as(merchant)
    response = merchant_client.post(
        f"/clips/{clip_id}/versions/{version_id}/qa-override",
        data={"reason": "The black second is the product turning: intended."},
    )
    assert response.status_code == 302
    with app.app_context():
        report = db.session.scalar(select(RenderQaReport))
        assert report.overridden_by_id == merchant.id
        assert not report.is_blocking
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "clip.qa_overridden")
        )
        assert event.details["reason"].startswith("The black second")
    assert merchant_client.post(f"/review/clips/{clip_id}/submit").status_code == 302
    assert _state(app, clip_id) == ClipState.IN_REVIEW
    page = in_english(client_as(trainer)).get(f"/review/clips/{clip_id}").get_data(as_text=True)
    assert "Overridden: The black second is the product turning: intended." in page
    assert "1:05.3–1:07.3" in page


def test_an_override_by_htmx_reloads_the_editor_so_its_submit_button_shows(
    app, client_as, merchant, merchant_org, make_clip
):
    clip_id, version_id = _with_report(app, make_clip, merchant_org)
    response = client_as(merchant).post(
        f"/clips/{clip_id}/versions/{version_id}/qa-override",
        data={"reason": "Intended."}, headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.headers["HX-Refresh"] == "true"


def test_a_version_without_findings_is_submitted_as_before(
    app, client_as, merchant, merchant_org, make_clip
):
    clip_id, _ = _with_report(app, make_clip, merchant_org, findings=[])
    page = in_english(client_as(merchant)).get(f"/media/clips/{clip_id}").get_data(as_text=True)
    assert "Quality checks passed" in page
    assert client_as(merchant).post(f"/review/clips/{clip_id}/submit").status_code == 302


def test_another_merchant_cannot_override(
    app, client_as, make_org, make_user, merchant_org, make_clip
):
    clip_id, version_id = _with_report(app, make_clip, merchant_org)
    stranger = make_user(Role.MERCHANT, make_org())
    response = client_as(stranger).post(
        f"/clips/{clip_id}/versions/{version_id}/qa-override", data={"reason": "mine now"}
    )
    assert response.status_code == 404
