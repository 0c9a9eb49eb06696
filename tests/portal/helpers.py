"""Helpers for portal tests: read forms like a browser, log in, read mailed links, count rows."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select
from werkzeug.routing import AnyConverter, Rule

from portal.extensions import db
from tests.conftest import TEST_PASSWORD

LINK_PATTERN = re.compile(r"https?://[^\s/]+/auth/(?:reset|invite)/\S+")


@dataclass
class Form:
    """One ``<form>`` of a page: where it posts and what a browser would send."""

    action: str
    method: str
    attrs: dict[str, str]
    fields: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                Form(values.get("action", ""), values.get("method", "get").lower(), values)
            )
            return
        if not self.forms:
            return
        form, name = self.forms[-1], values.get("name")
        if tag == "input" and name:
            kind = values.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in values:
                return
            if kind in {"submit", "button", "file"}:
                return
            form.fields[name] = values.get("value", "")
        elif tag == "select" and name:
            self._select = name
            form.options[name] = []
        elif tag == "option" and self._select:
            value = values.get("value", "")
            form.options[self._select].append(value)
            if "selected" in values or self._select not in form.fields:
                form.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data


def forms_of(html: str) -> list[Form]:
    """Return every form of ``html`` with the values a browser would submit."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field_name: str) -> Form:
    """Return the one form of ``html`` that has a field called ``field_name``."""
    found = [f for f in forms_of(html) if field_name in f.fields or field_name in f.options]
    assert len(found) == 1, f"expected one form with {field_name!r}, found {len(found)}"
    return found[0]


def login(client: FlaskClient, email: str, password: str = TEST_PASSWORD) -> Any:
    """Submit the login form (without following the redirect)."""
    return client.post("/auth/login", data={"email": email, "password": password})


def mailed_urls(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the reset/invitation links written to the mail log, oldest first."""
    return [
        match.group(0)
        for record in caplog.records
        if record.name == "beltcast.mail"
        for match in LINK_PATTERN.finditer(record.getMessage())
    ]


def mailed_links(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the paths of reset/invitation links written to the mail log, oldest first."""
    return [urlsplit(url).path for url in mailed_urls(caplog)]


def capture_mail(caplog: pytest.LogCaptureFixture) -> None:
    """Make ``caplog`` record the mail log."""
    caplog.set_level(logging.INFO, logger="beltcast.mail")


def is_private(response: Any) -> bool:
    """Tell whether only the user's own browser may keep ``response``, never a shared cache."""
    return bool(response.cache_control.private) and not response.cache_control.public


def count_rows(app: Flask, model: type, *where: Any) -> int:
    """Count the rows of ``model`` matching ``where``."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def fetch(app: Flask, model: type, *where: Any) -> Any:
    """Return the one row of ``model`` matching ``where`` (or None), detached."""
    with app.app_context():
        row = db.session.scalar(select(model).where(*where))
        if row is not None:
            db.session.expunge(row)
        return row


def png_bytes(size: tuple[int, int] = (64, 40), color: str = "green") -> bytes:
    """Return a real PNG image made with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def html_lang(html: str) -> str:
    """Return the ``lang`` attribute of the page's ``<html>`` element."""
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "page has no <html lang=...>"
    return match.group(1)


def in_english(client: FlaskClient) -> FlaskClient:
    """Choose English for ``client`` (messages stay readable whatever catalogs exist)."""
    client.get("/?lang=en")
    return client


FIELD_BLOCK = re.compile(r'<div class="field[^"]*">(.*?)</div>', re.DOTALL)
ERROR_TEXT = re.compile(r'<p class="error"[^>]*>(.*?)</p>', re.DOTALL)


def field_errors(html: str, field_id: str) -> list[str]:
    """Return the error messages shown beside the field with ``id=field_id``."""
    for block in FIELD_BLOCK.findall(html):
        if f'id="{field_id}"' in block:
            return [unescape(text.strip()) for text in ERROR_TEXT.findall(block)]
    raise AssertionError(f"no field with id {field_id!r} on the page")


def flashes(html: str) -> list[str]:
    """Return the flash messages of a page."""
    return [unescape(m) for m in re.findall(r'<p class="flash flash-\w+">(.*?)</p>', html)]


def url_for_rule(app: Flask, rule: Rule, values: Mapping[str, Any]) -> str:
    """Build ``rule``'s URL: ``values`` by argument name, the first choice of ``any(...)``."""
    arguments = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            arguments[name] = sorted(converter.items)[0]
        else:
            arguments[name] = values[name]
    with app.test_request_context():
        return url_for(rule.endpoint, **arguments)


def upload_photos(browser: FlaskClient, item_id: int, *files: tuple[bytes, str]) -> Any:
    """Post (bytes, file name) pairs to an item's photo upload form."""
    return browser.post(
        f"/catalog/items/{item_id}/photos",
        data={"photos": [(io.BytesIO(data), name) for data, name in files]},
        content_type="multipart/form-data",
    )
