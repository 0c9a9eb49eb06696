"""Merchant screening over HTTP: application, licence, trainers' decisions, suspension."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.catalog.models import Category
from portal.extensions import db
from portal.organisations.models import Organisation, OrgStatus
from portal.screening.models import Application, Decision
from tests.portal.helpers import count_rows, fetch, field_errors, in_english, is_private, png_bytes

TUS_CREATE = {"Tus-Resumable": "1.0.0", "Upload-Length": "10"}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def pending_org(make_org):
    return make_org("xinyu", status=OrgStatus.PENDING)


@pytest.fixture
def applicant(make_user, pending_org):
    return make_user(Role.MERCHANT, pending_org)


@pytest.fixture
def merchant_browser(client_as, applicant):
    return in_english(client_as(applicant))


@pytest.fixture
def trainer_browser(client_as, trainer):
    return in_english(client_as(trainer))


@pytest.fixture
def category_ids(app):
    with app.app_context():
        return list(db.session.scalars(select(Category.id).order_by(Category.id)))[:2]


def application_data(category_ids, licence=None, **changes):
    data = {
        "contact_name": "王老板",
        "contact_phone": "138 0000 0000",
        "shop_links": "https://v.douyin.com/shop1\nhttp://shop.taobao.com/xinyu",
        "categories": [str(i) for i in category_ids],
        "certificate_notes": "NGTC 证书",
        "send": "1",
    }
    if licence is not None:
        data["licence"] = (io.BytesIO(licence[0]), licence[1])
    return data | changes


PNG_LICENCE = (png_bytes(), "licence.png")


def submit(browser, category_ids, licence=PNG_LICENCE, **changes):
    return browser.post(
        "/screening/application",
        data=application_data(category_ids, licence, **changes),
        content_type="multipart/form-data",
    )


def licence_files(app, org_id):
    folder = Path(app.config["MEDIA_ROOT"]) / "licences" / str(org_id)
    return sorted(folder.iterdir()) if folder.exists() else []


def org_status(app, org_id):
    return fetch(app, Organisation, Organisation.id == org_id).status


def decide(browser, org_id, decision, message=""):
    return browser.post(
        f"/screening/{org_id}/decision", data={"decision": decision, "message": message}
    )


@pytest.fixture
def submitted(app, merchant_browser, pending_org, category_ids):
    response = submit(merchant_browser, category_ids)
    assert response.status_code == 302, response.text
    return pending_org


def test_merchant_submits_application_stored_and_waiting(
    app, merchant_browser, pending_org, category_ids
):
    response = submit(merchant_browser, category_ids)

    assert response.status_code == 302
    application = fetch(app, Application, Application.org_id == pending_org.id)
    assert application.submitted_at is not None
    assert application.decision is None
    assert application.shop_links == ["https://v.douyin.com/shop1", "http://shop.taobao.com/xinyu"]
    assert application.category_ids == category_ids
    assert application.licence_kind == "image"
    [stored] = licence_files(app, pending_org.id)
    assert stored.name == application.licence_name
    assert stored.suffix == ".jpg"
    with Image.open(stored) as image:
        assert image.format == "JPEG"
    page = merchant_browser.get("/screening/application").text
    assert "Waiting for a decision" in page
    licence = merchant_browser.get(f"/screening/application/{pending_org.id}/licence")
    assert (licence.status_code, licence.mimetype) == (200, "image/jpeg")
    assert is_private(licence)


def test_merchant_submits_pdf_licence_served_as_pdf_download(
    app, merchant_browser, trainer_browser, pending_org, category_ids
):
    assert submit(merchant_browser, category_ids, licence=(PDF, "执照.pdf")).status_code == 302

    answer = trainer_browser.get(f"/screening/{pending_org.id}/licence")
    assert (answer.status_code, answer.mimetype) == (200, "application/pdf")
    assert answer.headers["Content-Disposition"].startswith("attachment")
    assert answer.data == PDF
    assert is_private(answer)
    page = trainer_browser.get(f"/screening/{pending_org.id}").text
    assert "Download the licence (PDF)" in page


def test_merchant_submits_invalid_shop_link_error_in_place_nothing_stored(
    app, merchant_browser, pending_org, category_ids
):
    response = submit(
        merchant_browser, category_ids, shop_links="https://ok.example.com\njavascript:alert(1)"
    )

    assert response.status_code == 200
    assert field_errors(response.text, "shop_links") == [
        "Line 2 is not an http(s) link: javascript:alert(1)"
    ]
    assert count_rows(app, Application) == 0
    assert licence_files(app, pending_org.id) == []


def test_merchant_submits_non_image_licence_error_in_place_nothing_stored(
    app, merchant_browser, pending_org, category_ids
):
    response = submit(merchant_browser, category_ids, licence=(b"<html>hi</html>", "x.png"))

    assert response.status_code == 200
    assert field_errors(response.text, "licence") == [
        "This file is neither a readable image nor a PDF."
    ]
    assert count_rows(app, Application) == 0
    assert licence_files(app, pending_org.id) == []


@pytest.mark.parametrize("app_config", [{"MAX_IMAGE_BYTES": 2000}])
def test_merchant_submits_oversize_licence_error_in_place_nothing_stored(
    app, merchant_browser, pending_org, category_ids
):
    response = submit(merchant_browser, category_ids, licence=(PDF + b"0" * 3000, "big.pdf"))

    assert response.status_code == 200
    assert field_errors(response.text, "licence") == ["The file is larger than 0.0 MB."]
    assert count_rows(app, Application) == 0
    assert licence_files(app, pending_org.id) == []


def test_merchant_submits_without_licence_error_in_place(
    app, merchant_browser, pending_org, category_ids
):
    response = submit(merchant_browser, category_ids, licence=None)

    assert response.status_code == 200
    assert field_errors(response.text, "licence") == [
        "Add your business licence before submitting."
    ]
    assert count_rows(app, Application) == 0


def test_trainer_approves_application_merchant_may_upload(
    app, merchant_browser, trainer_browser, submitted, trainer
):
    assert merchant_browser.post("/uploads/", headers=TUS_CREATE).status_code == 403
    queue = trainer_browser.get("/screening/")
    assert queue.status_code == 200
    assert "店铺 xinyu" in queue.text
    review = trainer_browser.get(f"/screening/{submitted.id}")
    assert f'src="/screening/{submitted.id}/licence"' in review.text

    response = decide(trainer_browser, submitted.id, "approve")

    assert response.status_code == 302
    assert org_status(app, submitted.id) == OrgStatus.APPROVED
    assert "店铺 xinyu" not in trainer_browser.get("/screening/").text.split("All organisations")[0]
    assert "Approved" in merchant_browser.get("/").text
    assert merchant_browser.post("/uploads/", headers=TUS_CREATE).status_code == 201
    event = fetch(app, AuditEvent, AuditEvent.action == "screening.approved")
    assert (event.actor_id, event.org_id, event.object_id) == (
        trainer.id,
        submitted.id,
        submitted.id,
    )
    assert event.details["from_status"] == "pending"
    assert event.details["to_status"] == "approved"


def test_trainer_approves_approved_org_gets_409(app, trainer_browser, submitted):
    assert decide(trainer_browser, submitted.id, "approve").status_code == 302

    assert decide(trainer_browser, submitted.id, "approve").status_code == 409
    assert count_rows(app, AuditEvent, AuditEvent.action == "screening.approved") == 1


def test_trainer_rejects_with_reason_merchant_sees_reason(
    app, merchant_browser, trainer_browser, submitted
):
    response = decide(trainer_browser, submitted.id, "reject", "营业执照已过期")

    assert response.status_code == 302
    assert org_status(app, submitted.id) == OrgStatus.REJECTED
    assert "营业执照已过期" in merchant_browser.get("/screening/application").text
    assert "营业执照已过期" in merchant_browser.get("/").text
    event = fetch(app, AuditEvent, AuditEvent.action == "screening.rejected")
    assert event.details["message"] == "营业执照已过期"


def test_trainer_rejects_without_reason_error_in_place(app, trainer_browser, submitted):
    response = decide(trainer_browser, submitted.id, "reject", "  ")

    assert response.status_code == 200
    assert field_errors(response.text, "message") == [
        "Give the merchant a reason for the rejection."
    ]
    assert org_status(app, submitted.id) == OrgStatus.PENDING
    assert count_rows(app, AuditEvent, AuditEvent.action == "screening.rejected") == 0


def test_trainer_asks_for_documents_merchant_resubmits(
    app, merchant_browser, trainer_browser, submitted, category_ids
):
    response = decide(trainer_browser, submitted.id, "more", "请补充NGTC证书照片")
    assert response.status_code == 302
    assert org_status(app, submitted.id) == OrgStatus.PENDING
    application = fetch(app, Application, Application.org_id == submitted.id)
    assert application.decision == Decision.MORE_DOCUMENTS
    assert (
        f"/screening/{submitted.id}"
        not in trainer_browser.get("/screening/").text.split("All organisations")[0]
    )
    page = merchant_browser.get("/screening/application").text
    assert "请补充NGTC证书照片" in page
    assert "More documents requested" in page
    old_licence = application.licence_name

    again = submit(merchant_browser, category_ids, licence=(PDF, "licence.pdf"))

    assert again.status_code == 302
    application = fetch(app, Application, Application.org_id == submitted.id)
    assert application.is_awaiting_decision
    assert application.licence_kind == "pdf"
    assert [p.name for p in licence_files(app, submitted.id)] == [application.licence_name]
    assert application.licence_name != old_licence
    assert f"/screening/{submitted.id}" in trainer_browser.get("/screening/").text
    assert count_rows(app, AuditEvent, AuditEvent.action == "screening.submitted") == 2


def test_rejected_merchant_resubmits_org_pending_again(
    app, merchant_browser, trainer_browser, submitted, category_ids
):
    assert decide(trainer_browser, submitted.id, "reject", "资料不全").status_code == 302

    assert submit(merchant_browser, category_ids, licence=None).status_code == 302

    assert org_status(app, submitted.id) == OrgStatus.PENDING
    assert fetch(app, Organisation, Organisation.id == submitted.id).status_reason == ""


def test_merchant_edits_waiting_application_gets_409(
    app, merchant_browser, submitted, category_ids
):
    page = merchant_browser.get("/screening/application").text
    assert 'name="contact_name"' not in page

    response = submit(merchant_browser, category_ids, contact_name="改名")

    assert response.status_code == 409
    assert fetch(app, Application, Application.org_id == submitted.id).contact_name == "王老板"
    assert len(licence_files(app, submitted.id)) == 1


def test_trainer_suspends_approved_org_uploads_refused(
    app, merchant_browser, trainer_browser, submitted
):
    assert decide(trainer_browser, submitted.id, "approve").status_code == 302
    missing = trainer_browser.post(f"/screening/{submitted.id}/suspension", data={"message": ""})
    assert missing.status_code == 200
    assert field_errors(missing.text, "message") == ["Give a reason for the suspension."]

    response = trainer_browser.post(
        f"/screening/{submitted.id}/suspension", data={"message": "直播中出现虚假宣传"}
    )

    assert response.status_code == 302
    assert org_status(app, submitted.id) == OrgStatus.SUSPENDED
    assert merchant_browser.post("/uploads/", headers=TUS_CREATE).status_code == 403
    assert "直播中出现虚假宣传" in merchant_browser.get("/").text
    event = fetch(app, AuditEvent, AuditEvent.action == "screening.suspended")
    assert event.details["message"] == "直播中出现虚假宣传"

    assert trainer_browser.post(f"/screening/{submitted.id}/reinstatement").status_code == 302
    assert org_status(app, submitted.id) == OrgStatus.APPROVED
    assert merchant_browser.post("/uploads/", headers=TUS_CREATE).status_code == 201
    assert count_rows(app, AuditEvent, AuditEvent.action == "screening.reinstated") == 1


def test_trainer_suspends_pending_org_gets_409(app, trainer_browser, submitted):
    response = trainer_browser.post(
        f"/screening/{submitted.id}/suspension", data={"message": "理由"}
    )

    assert response.status_code == 409
    assert org_status(app, submitted.id) == OrgStatus.PENDING


def test_approved_merchant_sees_application_read_only(app, client_as, merchant, merchant_org):
    page = in_english(client_as(merchant)).get("/screening/application").text

    assert "Approved" in page
    assert 'name="contact_name"' not in page


@pytest.mark.parametrize("role", [Role.MERCHANT, Role.STREAMER])
def test_non_staff_open_trainer_pages_get_403(client_as, make_user, submitted, role):
    browser = client_as(make_user(role, submitted if role is Role.MERCHANT else None))

    for url in ["/screening/", f"/screening/{submitted.id}", f"/screening/{submitted.id}/licence"]:
        assert browser.get(url).status_code == 403, url
    assert decide(browser, submitted.id, "approve").status_code == 403


def test_merchant_of_other_org_gets_404_on_licence(client_as, merchant, submitted):
    browser = client_as(merchant)

    assert browser.get(f"/screening/application/{submitted.id}/licence").status_code == 404


def test_trainer_sees_every_org_by_status(trainer_browser, make_org, submitted):
    make_org("banned", status=OrgStatus.SUSPENDED)

    page = trainer_browser.get("/screening/").text

    assert "店铺 banned" in page
    assert "店铺 xinyu" in page


def test_base_organisation_is_not_listed_among_merchants(app, client_as, admin, make_org):
    from courses.videos import BASE_ORG_NAME, base_org_id

    make_org("jade-shop")
    with app.app_context():
        base_org_id()
        db.session.commit()
    browser = client_as(admin)

    for url in ("/screening/", "/admin/organisations"):
        page = browser.get(url).get_data(as_text=True)
        assert "jade-shop" in page, url
        assert BASE_ORG_NAME not in page, url
