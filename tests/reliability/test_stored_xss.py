"""Stored and reflected XSS: a script payload in every text field of every form is inert.

Each role (visitor, streamer, organisation A's merchant, trainer, admin) opens every page of the
app (courses aside) with organisation A's ids, fills every text input and textarea of every form
it finds with the payload, and sends it (GET forms too: search boxes reflect their query). Then
every role opens every page again, and the search pages look for the payload: no HTML or XML
answer may contain it unescaped. A scan of the database shows where it was stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from sqlalchemy import String, Text, func, select, update

from media.clips.models import Clip, ClipState, ClipVersion
from portal.auth.models import Role, User
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.portal.helpers import fetch
from tests.reliability.helpers import walk_routes

PAYLOAD = "\"'><script>xss()</script><img src=x onerror=xss()>"
DANGEROUS = ("<script>xss()", "<img src=x onerror")
TEXT_INPUTS = {"text", "email", "search", "url", "tel", ""}
FILLERS = {
    "email": "filler{n}@example.com",
    "url": "https://example.com/{n}",
    "tel": "1380013{n:04d}",
}
# Forms that end the session or switch off the organisation the walk needs.
SKIPPED_ACTIONS = ("/auth/logout", "/auth/password", "/suspension", "/admin/jobs/", "/revoke")


@dataclass
class WalkForm:
    """One form: where it goes, its text fields, and what else a browser would send."""

    action: str
    method: str
    text_fields: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    other_fields: dict[str, str] = field(default_factory=dict)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[WalkForm] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            method = values.get("method", "get").lower()
            self.forms.append(WalkForm(values.get("action", ""), method))
        elif self.forms and tag == "option" and self._select:
            form = self.forms[-1]
            if "selected" in values or self._select not in form.other_fields:
                form.other_fields[self._select] = values.get("value", "")
        elif self.forms and values.get("name"):
            self._field(self.forms[-1], tag, values)

    def _field(self, form: WalkForm, tag: str, values: dict[str, str]) -> None:
        name, kind = values["name"], values.get("type", "")
        if tag == "textarea":
            self._textarea = name
            form.text_fields[name] = ""
        elif tag == "input" and kind in TEXT_INPUTS:
            form.text_fields[name] = values.get("value", "")
            form.kinds[name] = kind
        elif tag == "input" and kind in {"hidden", "number"}:
            form.other_fields[name] = values.get("value", "")
        elif tag == "input" and kind in {"checkbox", "radio"} and "checked" in values:
            form.other_fields[name] = values.get("value", "y")
        elif tag == "input" and kind == "password":
            form.other_fields[name] = TEST_PASSWORD
        elif tag == "select":
            self._select = name

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1].text_fields[self._textarea] += data.lstrip("\n")


def forms_with_text(html: str) -> list[WalkForm]:
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f.text_fields]


def _filled(form: WalkForm, n: int) -> dict[str, str]:
    """The form's text fields, empty ones given a valid value of their kind."""
    return {
        name: value or FILLERS.get(form.kinds.get(name, ""), "filler{n}").format(n=n % 10000)
        for name, value in form.text_fields.items()
    }


def _is_markup(response) -> bool:
    return response.mimetype in {"text/html", "application/atom+xml", "application/xml"}


def _unsafe(response) -> bool:
    return _is_markup(response) and any(piece in response.text for piece in DANGEROUS)


def _browsers(app, world, client_as, make_user) -> dict[str, Callable[[], object]]:
    """A fresh browser per request for each role (a sign-up in one would switch its user)."""
    users = {
        "streamer": make_user(Role.STREAMER),
        "merchant": fetch(app, User, User.org_id == world["ids"]["org"]),
        "trainer": make_user(Role.TRAINER),
        "admin": make_user(Role.ADMIN),
    }
    return {
        "visitor": app.test_client,
        **{role: partial(client_as, user) for role, user in users.items()},
    }


def _get_pages(app: Flask, ids: dict[str, int]) -> list[str]:
    """Every GET page, plus the forms pages only show on request (a subtitle line's editor)."""
    pages = [url for _key, method, url in walk_routes(app, ids) if method == "GET"]
    return [*pages, f"/media/clips/{ids['clip']}/cues/{ids['cue']}?edit=1"]


def _send_payload_everywhere(app, browsers, ids) -> tuple[int, list[str]]:
    sent, reflected = 0, []
    for role, browser_for in browsers.items():
        for url in _get_pages(app, ids):
            page = browser_for().get(url)
            if page.status_code != 200 or page.mimetype != "text/html":
                continue
            for form in forms_with_text(page.text):
                target = urljoin(url, form.action or url)
                if any(skipped in target for skipped in SKIPPED_ACTIONS):
                    continue
                for name in form.text_fields:  # one field at a time: the others stay valid
                    data = form.other_fields | _filled(form, sent) | {name: PAYLOAD}
                    if form.method == "get":
                        answer = browser_for().get(urlsplit(target).path, query_string=data)
                    else:
                        answer = browser_for().post(target, data=data)
                    sent += 1
                    if _unsafe(answer):
                        reflected.append(f"{role}: {form.method.upper()} {target} {name}")
    return sent, reflected


def _publish(app: Flask, ids: dict[str, int]) -> None:
    """Publish A's clip, so the public pages (library, share, embed, feeds) show its texts."""
    with app.app_context():
        db.session.execute(
            update(ClipVersion).where(ClipVersion.id == ids["version"])
            .values(is_ready=True, duration_s=5.0, width=720, height=1280)
        )  # fmt: skip
        db.session.execute(
            update(Clip)
            .where(Clip.id == ids["clip"])
            .values(state=ClipState.PUBLISHED, review_version_id=ids["version"])
        )
        db.session.commit()


def _tables_holding_payload(app: Flask) -> set[str]:
    found = set()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String | Text):
                    continue
                hits = db.session.scalar(
                    select(func.count()).select_from(table).where(column.contains("xss()"))
                )
                if hits:
                    found.add(table.name)
    return found


@pytest.mark.parametrize("extra_config", [{"RATELIMIT_ENABLED": False}])
def test_script_payload_in_every_text_field_is_shown_inert_everywhere(
    app, world, client_as, make_user
):
    browsers = _browsers(app, world, client_as, make_user)
    ids = world["ids"]

    sent, reflected = _send_payload_everywhere(app, browsers, ids)

    assert sent > 30
    assert reflected == []
    stored = _tables_holding_payload(app)
    assert {
        "item", "clip", "clip_cue", "comment", "user", "organisation", "category", "api_token",
        "compliance_term",
    } <= stored  # fmt: skip
    _publish(app, ids)
    unsafe, public, shown = [], 0, 0
    for role, browser_for in browsers.items():
        pages = [*_get_pages(app, ids), "/search?q=xss", "/search/quick?q=xss", "/?q=xss"]
        for url in pages:
            answer = browser_for().get(url)
            public += url.startswith(("/library/clips/", "/share/")) and answer.status_code == 200
            shown += _is_markup(answer) and "&lt;script&gt;xss()" in answer.text
            if _unsafe(answer):
                unsafe.append(f"{role}: {url}")
    assert unsafe == []
    assert shown >= 20  # the payload is displayed, escaped, on many pages
    assert public >= 5  # the published clip's public pages were among those checked
