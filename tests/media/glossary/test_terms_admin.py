"""Administrators keep the jade-trade glossary: seeded terms, add, edit, switch off."""

from __future__ import annotations

import pytest

from media.glossary import services
from media.glossary.models import GlossaryTerm
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from tests.portal.helpers import count_rows, fetch, field_errors, flashes, form_with, in_english

URL = "/admin/glossary/"


@pytest.fixture
def admin_browser(client_as, admin):
    """The administrator's browser, in English."""
    return in_english(client_as(admin))


def _terms(app, language=None):
    with app.app_context():
        return services.glossary_terms(language)


def test_admin_sees_the_seeded_terms(admin_browser):
    page = admin_browser.get(URL)

    assert page.status_code == 200
    for term in ["翡翠", "和田玉", "籽料", "冰种", "国检证书", "A货", "貔貅", "Hetian", "Pixiu"]:
        assert f">{term}</strong>" in page.text
    assert form_with(page.text, "term").action == URL


def test_glossary_terms_are_given_per_language(app):
    chinese, english = _terms(app, "zh"), _terms(app, "en")

    assert {"翡翠", "和田玉", "平安扣", "A货"} <= set(chinese)
    assert {"jadeite", "nephrite", "Hetian", "Xiuyan", "Dushan", "Pixiu"} <= set(english)
    assert not set(chinese) & set(english)
    assert set(_terms(app)) == set(_terms(app, "auto")) == set(chinese) | set(english)


def test_admin_adds_a_term(app, admin_browser):
    response = admin_browser.post(URL, data={"term": " 金丝种 ", "note": "色带如金丝"})

    assert response.status_code == 302
    row = fetch(app, GlossaryTerm, GlossaryTerm.term == "金丝种")
    assert (row.language, row.note, row.is_active) == ("zh", "色带如金丝", True)
    assert "金丝种" in _terms(app, "zh")
    assert count_rows(app, AuditEvent, AuditEvent.action == "glossary_term.added") == 1
    assert "Term “金丝种” added." in flashes(admin_browser.get(URL).text)


def test_an_english_term_is_an_english_hint(app, admin_browser):
    admin_browser.post(URL, data={"term": "Lantian", "note": ""})

    assert "Lantian" in _terms(app, "en")
    assert "Lantian" not in _terms(app, "zh")


@pytest.mark.parametrize(
    ("spelling", "error"),
    [
        ("翡翠", "This term is already in the glossary as “翡翠”."),
        ("翡 翠", "This term is already in the glossary as “翡翠”."),
        ("HETIAN", "This term is already in the glossary as “Hetian”."),
        ("玉", "Enter at least two letters or characters."),
        ("——", "Enter at least two letters or characters."),
        ("", "This field is required."),
    ],
)
def test_admin_adding_a_bad_term_sees_the_error_in_place(app, admin_browser, spelling, error):
    before = count_rows(app, GlossaryTerm)

    page = admin_browser.post(URL, data={"term": spelling, "note": ""})

    assert page.status_code == 200
    assert field_errors(page.text, "term") == [error]
    assert count_rows(app, GlossaryTerm) == before


def test_admin_edits_a_term(app, admin_browser):
    row = fetch(app, GlossaryTerm, GlossaryTerm.term == "Hotan")
    edit_url = f"{URL}{row.id}"
    edit_form = form_with(admin_browser.get(edit_url).text, "term")
    assert (edit_form.action, edit_form.fields["term"]) == (edit_url, "Hotan")

    response = admin_browser.post(edit_url, data={"term": "和阗", "note": "和田的旧写法"})

    assert response.status_code == 302
    changed = fetch(app, GlossaryTerm, GlossaryTerm.id == row.id)
    assert (changed.term, changed.language, changed.note) == ("和阗", "zh", "和田的旧写法")
    event = fetch(app, AuditEvent, AuditEvent.action == "glossary_term.changed")
    assert event.details["before"] == "Hotan"


def test_admin_editing_into_a_duplicate_sees_the_error_in_place(app, admin_browser):
    row = fetch(app, GlossaryTerm, GlossaryTerm.term == "糯种")

    page = admin_browser.post(f"{URL}{row.id}", data={"term": "冰种", "note": ""})

    assert page.status_code == 200
    assert field_errors(page.text, "term") == ["This term is already in the glossary as “冰种”."]
    assert fetch(app, GlossaryTerm, GlossaryTerm.id == row.id).term == "糯种"


def test_admin_switches_a_term_off_and_on(app, admin_browser):
    row = fetch(app, GlossaryTerm, GlossaryTerm.term == "玛瑙")
    toggle_url = f"{URL}{row.id}/active"

    response = admin_browser.post(toggle_url, data={"active": "0"})

    assert response.status_code == 302
    assert "玛瑙" not in _terms(app, "zh")
    assert "Switch on" in admin_browser.get(URL).text
    assert count_rows(app, AuditEvent, AuditEvent.action == "glossary_term.deactivated") == 1

    admin_browser.post(toggle_url, data={"active": "1"})

    assert "玛瑙" in _terms(app, "zh")


def test_admin_editing_a_missing_term_gets_404(admin_browser):
    assert admin_browser.get(f"{URL}999999").status_code == 404
    assert admin_browser.post(f"{URL}999999/active", data={"active": "0"}).status_code == 404


@pytest.mark.parametrize("role", [Role.TRAINER, Role.MERCHANT, Role.STREAMER])
def test_non_admin_gets_403(app, client_as, make_user, merchant_org, role):
    user = make_user(role, merchant_org if role == Role.MERCHANT else None)
    browser = client_as(user)
    row = fetch(app, GlossaryTerm, GlossaryTerm.term == "翡翠")

    assert browser.get(URL).status_code == 403
    assert browser.post(URL, data={"term": "金丝种"}).status_code == 403
    assert browser.get(f"{URL}{row.id}").status_code == 403
    assert browser.post(f"{URL}{row.id}", data={"term": "x"}).status_code == 403
    assert browser.post(f"{URL}{row.id}/active", data={"active": "0"}).status_code == 403
    assert "翡翠" in _terms(app, "zh")
    assert "金丝种" not in _terms(app, "zh")


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_admin_sees_the_glossary_link(admin_browser):
    assert f'href="{URL}"' in admin_browser.get("/").text
