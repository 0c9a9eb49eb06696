"""Organisation workflows: create, list."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from portal.audit.services import record_event
from portal.auth.models import User
from portal.errors import ServiceError
from portal.extensions import db
from portal.organisations.models import BASE_ORG_SLUG, Organisation, OrgStatus
from portal.text_cleaning import clean_line


def merchant_organisations() -> Select[tuple[Organisation]]:
    """Select the merchant organisations (every one but the base's own), by name."""
    return (
        select(Organisation).where(Organisation.slug != BASE_ORG_SLUG).order_by(Organisation.name)
    )


def count_by_status() -> dict[OrgStatus, int]:
    """Count the merchant organisations per screening status (every status, zero included).

    The one count of merchants by status: the trainer dashboard, the trainer's home and the
    screening page all show it, so the base's own organisation is never among them.
    """
    statement = (
        merchant_organisations()
        .order_by(None)
        .with_only_columns(Organisation.status, func.count())
        .group_by(Organisation.status)
    )
    counts = dict(db.session.execute(statement).all())
    return {status: counts.get(status, 0) for status in OrgStatus}


def list_organisations() -> list[Organisation]:
    """Return the merchant organisations by name."""
    return list(db.session.scalars(merchant_organisations()))


def get_org_by_slug(slug: str) -> Organisation | None:
    """Return the organisation with this slug, if any."""
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def create_organisation(
    slug: str, name: str, *, approved: bool = False, actor: User | None = None
) -> Organisation:
    """Create an organisation (pending screening unless ``approved``)."""
    if get_org_by_slug(slug) is not None:
        raise ServiceError(_("The slug %(slug)s is already used.", slug=slug), field="slug")
    org = Organisation(
        slug=slug,
        name=clean_line(name),
        status=OrgStatus.APPROVED if approved else OrgStatus.PENDING,
    )
    db.session.add(org)
    record_event(actor, "organisation.created", org, org_id=None, status=org.status)
    db.session.commit()
    return org
