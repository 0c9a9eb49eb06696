"""Notification fixtures: a base with people on every side of an event."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from media.clips.models import ClipState
from portal.auth.models import Role, User
from portal.extensions import db
from portal.notifications.models import Notification
from tests.courses import conftest as course_fixtures
from tests.support.clipdata import add_clip_rows

make_course = course_fixtures.make_course


@dataclass(frozen=True)
class People:
    """Who takes part: the acting merchant and trainer, and who else should hear of it."""

    merchant: User
    colleague: User  # another merchant of the same organisation
    outsider: User  # a merchant of another organisation
    trainer: User
    other_trainer: User
    suspended_trainer: User
    admin: User
    streamer: User


@pytest.fixture
def people(make_user, make_org, merchant_org) -> People:
    """Merchants of two organisations, trainers (one suspended), an admin and a streamer."""
    return People(
        merchant=make_user(Role.MERCHANT, merchant_org, name="陈老板"),
        colleague=make_user(Role.MERCHANT, merchant_org, name="小陈"),
        outsider=make_user(Role.MERCHANT, make_org("other-shop"), name="别家"),
        trainer=make_user(Role.TRAINER, name="王老师"),
        other_trainer=make_user(Role.TRAINER, name="李老师"),
        suspended_trainer=make_user(Role.TRAINER, name="停用", is_suspended=True),
        admin=make_user(Role.ADMIN),
        streamer=make_user(Role.STREAMER, name="小美"),
    )


@pytest.fixture
def make_clip(app, make_item, merchant_org):
    """Add a clip of ``merchant_org`` in ``state``; return its id."""

    def build(state: ClipState, title: str = "冰种手镯讲解") -> int:
        item = make_item(merchant_org)
        with app.app_context():
            return add_clip_rows(
                merchant_org.id, [item.id], title=title, texts=("这款手镯很通透",), state=state
            ).id

    return build


def notifications_of(app, user: User) -> list[tuple[str, str, int, dict]]:
    """The user's notifications as (kind, object type, object id, params), oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
        return [(n.kind, n.object_type, n.object_id, n.params) for n in rows]


def recipients(app) -> set[int]:
    """Ids of everyone who has a notification."""
    with app.app_context():
        return set(db.session.scalars(select(Notification.user_id)))
