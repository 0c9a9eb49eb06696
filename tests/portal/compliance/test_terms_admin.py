"""Administrators keep the list of banned terms: seeded defaults, add, edit, switch off."""

from __future__ import annotations

import pytest

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.claims.models import ComplianceTerm
from portal.compliance import services
from tests.portal.helpers import count_rows, fetch, field_errors, flashes, form_with, in_english

URL = "/admin/compliance/"


@pytest.fixture
def admin_browser(client_as, admin):
    """The administrator's browser, in English."""
    return in_english(client_as(admin))


def _active_terms(app):
    with app.app_context():
        return {term.term for term in services.active_terms()}


def test_admin_sees_the_seeded_terms_by_category(admin_browser):
    page = admin_browser.get(URL)

    assert page.status_code == 200
    for heading in ["Absolute claims", "Off-platform contact", "Authenticity and certificate"]:
        assert heading in page.text
    for term in ["第一", "国家级", "开光", "加微信", "VX", "全网最低", "A货", "WeChat"]:
        assert f"<strong>{term}</strong>" in page.text
    add_form = form_with(page.text, "term")
    assert (add_form.action, add_form.options["category"][0]) == (URL, "absolute")


def test_admin_sees_the_list_in_chinese(client_as, admin):
    page = client_as(admin).get(URL)

    assert "绝对化用语" in page.text
    assert "站外联系方式" in page.text


def test_admin_adds_a_term_which_is_then_matched(app, admin_browser):
    response = admin_browser.post(
        URL, data={"category": "absolute", "term": " 独一无二 ", "note": "改说“少见”。"}
    )

    assert response.status_code == 302
    row = fetch(app, ComplianceTerm, ComplianceTerm.term == "独一无二")
    assert (row.category, row.note, row.is_active) == ("absolute", "改说“少见”。", True)
    assert "独一无二" in _active_terms(app)
    assert count_rows(app, AuditEvent, AuditEvent.action == "compliance_term.added") == 1
    assert "Term “独一无二” added." in flashes(admin_browser.get(URL).text)


@pytest.mark.parametrize("spelling", ["加微信", "加 微 信", "加　微　信"])
def test_admin_adding_a_duplicate_sees_the_error_in_place(app, admin_browser, spelling):
    before = count_rows(app, ComplianceTerm)

    page = admin_browser.post(URL, data={"category": "contact", "term": spelling, "note": ""})

    assert page.status_code == 200
    assert field_errors(page.text, "term") == ["This term is already on the list as “加微信”."]
    assert count_rows(app, ComplianceTerm) == before


def test_the_same_term_may_stand_in_another_category(app, admin_browser):
    response = admin_browser.post(URL, data={"category": "absolute", "term": "VX", "note": ""})

    assert response.status_code == 302
    assert count_rows(app, ComplianceTerm, ComplianceTerm.term == "VX") == 2


def test_admin_adding_only_punctuation_sees_an_error(admin_browser):
    page = admin_browser.post(URL, data={"category": "absolute", "term": "——", "note": ""})

    assert field_errors(page.text, "term") == ["Enter at least one letter, digit or symbol."]


def test_admin_adding_an_empty_term_sees_the_form_error(admin_browser):
    page = admin_browser.post(URL, data={"category": "absolute", "term": "", "note": ""})

    assert page.status_code == 200
    assert field_errors(page.text, "term") == ["This field is required."]


def test_admin_edits_a_term(app, admin_browser):
    row = fetch(app, ComplianceTerm, ComplianceTerm.term == "极品")
    edit_url = f"{URL}{row.id}"
    edit_form = form_with(admin_browser.get(edit_url).text, "term")
    assert (edit_form.action, edit_form.fields["term"]) == (edit_url, "极品")

    response = admin_browser.post(
        edit_url, data={"category": "absolute", "term": "极品货", "note": "改说“品质好”。"}
    )

    assert response.status_code == 302
    changed = fetch(app, ComplianceTerm, ComplianceTerm.id == row.id)
    assert (changed.term, changed.note) == ("极品货", "改说“品质好”。")
    event = fetch(app, AuditEvent, AuditEvent.action == "compliance_term.changed")
    assert event.details["before"] == {"category": "absolute", "term": "极品", "exceptions": []}


def test_admin_editing_into_a_duplicate_sees_the_error_in_place(app, admin_browser):
    row = fetch(app, ComplianceTerm, ComplianceTerm.term == "极品")

    page = admin_browser.post(
        f"{URL}{row.id}", data={"category": "absolute", "term": "顶级", "note": ""}
    )

    assert page.status_code == 200
    assert field_errors(page.text, "term") == ["This term is already on the list as “顶级”."]
    assert fetch(app, ComplianceTerm, ComplianceTerm.id == row.id).term == "极品"


def test_admin_switches_a_term_off_and_on(app, admin_browser):
    row = fetch(app, ComplianceTerm, ComplianceTerm.term == "第一")
    toggle_url = f"{URL}{row.id}/active"

    response = admin_browser.post(toggle_url, data={"active": "0"})

    assert response.status_code == 302
    assert "第一" not in _active_terms(app)
    assert "Switch on" in admin_browser.get(URL).text
    assert count_rows(app, AuditEvent, AuditEvent.action == "compliance_term.deactivated") == 1

    admin_browser.post(toggle_url, data={"active": "1"})

    assert "第一" in _active_terms(app)


def test_adding_a_switched_off_term_again_says_to_switch_it_on(app, admin_browser):
    row = fetch(app, ComplianceTerm, ComplianceTerm.term == "私聊")
    admin_browser.post(f"{URL}{row.id}/active", data={"active": "0"})

    page = admin_browser.post(URL, data={"category": "contact", "term": "私聊", "note": ""})

    assert field_errors(page.text, "term") == [
        "This term is on the list as “私聊” but switched off; switch it on instead."
    ]


def test_admin_editing_a_missing_term_gets_404(admin_browser):
    assert admin_browser.get(f"{URL}999999").status_code == 404
    assert admin_browser.post(f"{URL}999999/active", data={"active": "0"}).status_code == 404


@pytest.mark.parametrize("role", [Role.TRAINER, Role.MERCHANT, Role.STREAMER])
def test_non_admin_gets_403(app, client_as, make_user, merchant_org, role):
    user = make_user(role, merchant_org if role == Role.MERCHANT else None)
    browser = client_as(user)
    row = fetch(app, ComplianceTerm, ComplianceTerm.term == "第一")

    assert browser.get(URL).status_code == 403
    assert browser.post(URL, data={"category": "absolute", "term": "x"}).status_code == 403
    assert browser.get(f"{URL}{row.id}").status_code == 403
    assert browser.post(f"{URL}{row.id}/active", data={"active": "0"}).status_code == 403
    assert "第一" in _active_terms(app)


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_admin_sees_the_compliance_link(admin_browser):
    assert f'href="{URL}"' in admin_browser.get("/").text


def test_the_seeded_absolute_terms_carry_their_exceptions(app):
    assert fetch(app, ComplianceTerm, ComplianceTerm.term == "最").exceptions == [
        "最后", "最近", "最初", "最终",
    ]  # fmt: skip
    assert fetch(app, ComplianceTerm, ComplianceTerm.term == "第一").exceptions == ["第一次"]


def test_admin_edits_a_terms_exceptions_one_per_line(app, admin_browser):
    row = fetch(app, ComplianceTerm, ComplianceTerm.term == "最")
    edit_url = f"{URL}{row.id}"
    edit_form = form_with(admin_browser.get(edit_url).text, "exceptions")
    assert edit_form.fields["exceptions"].split() == ["最后", "最近", "最初", "最终"]

    response = admin_browser.post(
        edit_url,
        data={"category": "absolute", "term": "最", "note": "", "exceptions": "最后\n 最終 、最近"},
    )

    assert response.status_code == 302
    assert fetch(app, ComplianceTerm, ComplianceTerm.id == row.id).exceptions == [
        "最后", "最終", "最近",
    ]  # fmt: skip
    with app.app_context():
        [term] = [t for t in services.active_terms() if t.term == "最"]
    assert term.exceptions == ("最后", "最終", "最近")
    event = fetch(app, AuditEvent, AuditEvent.action == "compliance_term.changed")
    assert event.details["exceptions"] == ["最后", "最終", "最近"]


def test_admin_adds_a_term_with_an_exception(app, admin_browser):
    response = admin_browser.post(
        URL,
        data={"category": "absolute", "term": "首选", "note": "", "exceptions": "首选项"},
    )

    assert response.status_code == 302
    assert fetch(app, ComplianceTerm, ComplianceTerm.term == "首选").exceptions == ["首选项"]


@pytest.mark.parametrize(
    ("exceptions", "error"),
    [
        ("最后\n好看", "“好看” does not contain the term “最”."),
        ("最", "“最” is the term itself; switch the term off instead."),
        ("最" + "后" * 100, "Each exception has at most 100 characters."),
    ],
)
def test_admin_entering_a_bad_exception_sees_the_error_in_place(
    app, admin_browser, exceptions, error
):
    row = fetch(app, ComplianceTerm, ComplianceTerm.term == "最")

    page = admin_browser.post(
        f"{URL}{row.id}",
        data={"category": "absolute", "term": "最", "note": "", "exceptions": exceptions},
    )

    assert page.status_code == 200
    assert field_errors(page.text, "exceptions") == [error]
    assert "好看" in page.text or "好看" not in exceptions  # the typed text is kept
    assert fetch(app, ComplianceTerm, ComplianceTerm.id == row.id).exceptions == [
        "最后", "最近", "最初", "最终",
    ]  # fmt: skip


def test_an_exception_is_compared_folded(app, admin_browser):
    row = fetch(app, ComplianceTerm, ComplianceTerm.term == "VX")

    response = admin_browser.post(
        f"{URL}{row.id}", data={"category": "contact", "term": "VX", "exceptions": "ｖｘ-Ray"}
    )

    assert response.status_code == 302
    assert fetch(app, ComplianceTerm, ComplianceTerm.id == row.id).exceptions == ["ｖｘ-Ray"]


def test_the_list_shows_each_terms_exceptions(admin_browser, client_as, admin):
    assert "Not flagged in: 最后、最近、最初、最终" in admin_browser.get(URL).text
    chinese = client_as(admin).get(URL).text
    assert "以下词中不标记：最后、最近、最初、最终" in chinese
    assert "例外词" in chinese
