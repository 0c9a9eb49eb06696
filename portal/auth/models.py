"""The ``User`` model and its roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import TimestampMixin, UTCDateTime
from portal.extensions import db
from portal.organisations.models import Organisation


class Role(StrEnum):
    """What a user is at the base."""

    ADMIN = "admin"
    TRAINER = "trainer"
    MERCHANT = "merchant"
    STREAMER = "streamer"


STAFF_ROLES = frozenset({Role.ADMIN, Role.TRAINER})


class OrgRole(StrEnum):
    """What a member is inside their organisation (merchants: owner or staff; streamers)."""

    OWNER = "owner"
    STAFF = "staff"
    STREAMER = "streamer"


class User(TimestampMixin, db.Model):
    """A person who signs in; a merchant belongs to one organisation, a streamer to one or none.

    ``org_role`` says what a member is inside the organisation: a merchant is its owner or staff
    (none counts as staff), a streamer of the organisation streams on its live accounts.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(20))
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    org_role: Mapped[OrgRole | None] = mapped_column(String(20))
    locale: Mapped[str | None] = mapped_column(String(10))
    is_suspended: Mapped[bool] = mapped_column(default=False)
    auth_version: Mapped[int] = mapped_column(default=0)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    org: Mapped[Organisation | None] = relationship()

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        """Tell whether the user may sign in (has a password, not suspended)."""
        return self.password_hash is not None and not self.is_suspended

    @property
    def is_authenticated(self) -> bool:
        """A loaded user is always authenticated."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """A loaded user is never anonymous."""
        return False

    def get_id(self) -> str:
        """Return the session id; bumping ``auth_version`` signs out every session."""
        return f"{self.id}:{self.auth_version}"

    @property
    def is_staff(self) -> bool:
        """Tell whether the user is base staff (trainer or admin)."""
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        """Tell whether the user is an administrator."""
        return self.role == Role.ADMIN

    @property
    def is_merchant(self) -> bool:
        """Tell whether the user is a member of a merchant organisation."""
        return self.role == Role.MERCHANT and self.org_id is not None

    @property
    def is_org_owner(self) -> bool:
        """Tell whether the user owns their merchant organisation (manages its team)."""
        return self.is_merchant and self.org_role == OrgRole.OWNER

    @property
    def is_org_streamer(self) -> bool:
        """Tell whether the user is a streamer of a merchant organisation."""
        return self.role == Role.STREAMER and self.org_id is not None

    @property
    def team_role(self) -> OrgRole | None:
        """The user's role inside their organisation (a merchant without one is staff)."""
        if self.is_org_streamer:
            return OrgRole.STREAMER
        if self.is_merchant:
            return OrgRole(self.org_role or OrgRole.STAFF)
        return None
