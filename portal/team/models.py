"""The ``LiveAccount`` model: one streaming account of an organisation, in one studio."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import OrgOwned, TimestampMixin
from portal.extensions import db


class Platform(StrEnum):
    """Where an account streams."""

    DOUYIN = "douyin"
    KUAISHOU = "kuaishou"
    TAOBAO = "taobao"
    CHANNELS = "channels"
    XIAOHONGSHU = "xiaohongshu"
    OTHER = "other"


PLATFORM_LABELS = {
    Platform.DOUYIN: _l("Douyin"),
    Platform.KUAISHOU: _l("Kuaishou"),
    Platform.TAOBAO: _l("Taobao Live"),
    Platform.CHANNELS: _l("WeChat Channels"),
    Platform.XIAOHONGSHU: _l("Xiaohongshu"),
    Platform.OTHER: _l("Other platform"),
}


class LiveAccount(OrgOwned, TimestampMixin, db.Model):
    """A streaming account (直播账号): its platform, name, studio and usual streamer."""

    __table_args__ = (
        UniqueConstraint("org_id", "platform", "name", name="uq_live_account_org_id_platform_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Platform] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    studio: Mapped[str] = mapped_column(String(100), default="")
    streamer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    streamer: Mapped[User | None] = relationship()

    @property
    def platform_label(self) -> str:
        """The platform's name in the user's language."""
        return str(PLATFORM_LABELS.get(Platform(self.platform), self.platform))

    @property
    def public_label(self) -> str:
        """How public pages name the account: platform · name (the studio is internal)."""
        return f"{self.platform_label} · {self.name}"

    @property
    def label(self) -> str:
        """How lists name the account: platform · name (studio)."""
        where = f" ({self.studio})" if self.studio else ""
        return f"{self.platform_label} · {self.name}{where}"
