"""A clip on the review stage: a merchant and a trainer acting through the pages.

``ACTIONS`` are what people do (the forms they post, with the version ids the pages offer);
``finish_render`` stands for a render job: it writes files that name their version, then runs
the job's own last step (``mark_rendered``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse as Response

from media.clips.models import Clip, ClipState, ClipVersion
from media.clips.rendering import mark_rendered, version_file
from portal.extensions import db
from tests.portal.helpers import forms_of

CLEAN, SPOKEN_BANNED, LAST = "这款翡翠手镯水头很好", "全网最低价 加微信下单", "圈口五十六毫米"
BANNED_SUBTITLE = "加微信 jade888 最便宜 能治病"
# A hook line of the clip's own: the title (the hook line by default) is then not drawn in the
# picture, so a title edit after the render is text only (a new version of the same files).
OWN_HOOK = "今晚的翡翠手镯"
SENTENCES = [(10_000, 13_000, CLEAN), (13_000, 16_000, SPOKEN_BANNED), (16_000, 19_000, LAST)]


@dataclass
class Stage:
    """One clip and the people acting on it."""

    app: Flask
    clip_id: int
    item_id: int
    merchant: FlaskClient
    trainer: FlaskClient
    visitor: FlaskClient

    def clip(self) -> Clip:
        return db.session.get(Clip, self.clip_id)

    def cue_ids(self) -> list[int]:
        with self.app.app_context():
            return [cue.id for cue in self.clip().cues]

    def edit_cue(self, position: int, text: str, *, hidden: bool = False) -> None:
        data = {"text": text, **({"is_hidden": "y"} if hidden else {})}
        self.merchant.post(
            f"/media/clips/{self.clip_id}/cues/{self.cue_ids()[position]}", data=data
        )

    def details(self, title: str) -> None:
        self.merchant.post(
            f"/media/clips/{self.clip_id}/details",
            data={"title": title, "description": "讲解种水", "item_ids": [self.item_id]},
        )

    def post_page_form(
        self, browser: FlaskClient, page: str, field: str, *, to: str = "", **data: str
    ) -> None:
        """Post the page's form that has ``field`` (and posts to an address with ``to`` in it),
        as a browser would (if the page has it)."""
        forms = forms_of(browser.get(page).text)
        found = [f for f in forms if field in f.fields and to in f.action]
        if found:
            browser.post(found[0].action, data={**found[0].fields, **data})


def finish_render(stage: Stage) -> None:
    """Do what a finished render job leaves: files naming the version, then ``mark_rendered``."""
    with stage.app.app_context():
        pending = db.session.scalars(
            select(ClipVersion)
            .where(ClipVersion.clip_id == stage.clip_id, ClipVersion.is_ready.is_(False))
            .order_by(ClipVersion.id)
        ).first()
        if pending is None:
            return
        version_file(pending, "video").parent.mkdir(parents=True, exist_ok=True)
        version_file(pending, "video").write_bytes(f"video of version {pending.id}".encode())
        version_file(pending, "poster").write_bytes(b"\xff\xd8poster")
        lines = "".join(f"\n00:00.000 --> 00:01.000\n{cue['text']}\n" for cue in pending.cues)
        version_file(pending, "vtt").write_text("WEBVTT\n" + lines, encoding="utf-8")
        mark_rendered(pending, stage.clip())


def flag_values(html: str) -> list[str]:
    """The values of the override form's flag checkboxes, as the page lists them."""
    return [unescape(value) for value in re.findall(r'name="flags" value="([^"]*)"', html)]


def override_flags(stage: Stage, *, reason: str = "已核实", pick: slice = slice(None)) -> Response:
    """Tick the page's open flags (``pick`` of them) and override them with one reason."""
    page = stage.trainer.get(f"/review/clips/{stage.clip_id}").text
    found = [f for f in forms_of(page) if "/overrides" in f.action]
    if not found:
        return stage.trainer.get(f"/review/clips/{stage.clip_id}")
    data = {**found[0].fields, "flags": flag_values(page)[pick], "reason": reason}
    return stage.trainer.post(found[0].action.split("#")[0], data=data)


def _override_all(stage: Stage) -> None:
    override_flags(stage)


def edit_item(stage: Stage, **data: str) -> None:
    """The merchant edits the clip's item in the catalog (other fields as the form has them)."""
    stage.post_page_form(stage.merchant, f"/catalog/items/{stage.item_id}/edit", "sku", **data)


def _set_archived(stage: Stage, archived: bool) -> None:
    data = {} if archived else {"restore": "1"}
    stage.merchant.post(f"/catalog/items/{stage.item_id}/archive", data=data)


ACTIONS = {
    "edit_banned": lambda s: s.edit_cue(0, BANNED_SUBTITLE),
    "edit_clean": lambda s: s.edit_cue(0, CLEAN),
    "hide_spoken": lambda s: s.edit_cue(1, SPOKEN_BANNED, hidden=True),
    "show_spoken": lambda s: s.edit_cue(1, SPOKEN_BANNED),
    "title_banned": lambda s: s.details("全网最低价手镯 加微信"),
    "title_clean": lambda s: s.details("翡翠手镯讲解"),
    "render": lambda s: s.merchant.post(
        f"/media/clips/{s.clip_id}/render",
        data={"profile": "vertical", "fill": "blur", "burn_subtitles": "y", "poster_at_s": "0"},
    ),
    "finish_render": finish_render,
    "own_hook": lambda s: s.post_page_form(
        s.merchant, f"/media/clips/{s.clip_id}", "hook_text", hook_text=OWN_HOOK
    ),
    "submit": lambda s: s.post_page_form(
        s.merchant, f"/media/clips/{s.clip_id}", "version_id", to="/submit"
    ),
    "approve": lambda s: s.post_page_form(
        s.trainer, f"/review/clips/{s.clip_id}", "decision", decision="approve"
    ),
    "changes": lambda s: s.post_page_form(
        s.trainer, f"/review/clips/{s.clip_id}", "decision", decision="changes", message="改字幕"
    ),
    "override_all": _override_all,
    "publish": lambda s: s.trainer.post(f"/review/clips/{s.clip_id}/publish"),
    "unpublish": lambda s: s.trainer.post(f"/review/clips/{s.clip_id}/unpublish"),
    "rename_item_banned": lambda s: edit_item(s, name="加微信翡翠手镯"),
    "rename_item_clean": lambda s: edit_item(s, name="冰种翡翠手镯"),
    "archive_item": lambda s: _set_archived(s, True),
    "restore_item": lambda s: _set_archived(s, False),
}
# Sequences that reach the library need these in order; hypothesis mixes in the rest.
HAPPY_PATH = ["render", "finish_render", "submit", "approve", "override_all", "publish"]


def published(build: Callable[[], Stage]) -> Stage:
    """Build a stage and take its clip along the happy path into the library."""
    current = build()
    for name in HAPPY_PATH:
        ACTIONS[name](current)
    with current.app.app_context():
        assert current.clip().state == ClipState.PUBLISHED
    return current
