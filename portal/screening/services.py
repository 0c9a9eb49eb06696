"""Screening workflows: save and submit an application, and the trainers' decisions."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.models import Category
from portal.database import utcnow
from portal.errors import ConflictError, ServiceError
from portal.extensions import db
from portal.organisations.models import Organisation, OrgStatus
from portal.organisations.scoping import scoped
from portal.organisations.services import merchant_organisations
from portal.screening.models import Application, Decision, LicenceKind
from portal.screening.signals import application_decided

EDITABLE_STATUSES = (OrgStatus.PENDING, OrgStatus.REJECTED)


@dataclass(frozen=True)
class ApplicationData:
    """What the merchant typed into the application form."""

    contact_name: str
    contact_phone: str
    shop_links: list[str]
    category_ids: list[int]
    certificate_notes: str = ""


@dataclass(frozen=True)
class StoredLicence:
    """A licence file already checked and stored under a generated name."""

    name: str
    kind: LicenceKind


def get_application(org_id: int) -> Application | None:
    """Return the organisation's application, if it started one."""
    return db.session.scalar(scoped(Application, org_id))


def get_application_or_404(org_id: int) -> Application:
    """Return the organisation's application; none answers 404."""
    return db.first_or_404(scoped(Application, org_id))


def get_organisation_or_404(org_id: int) -> Organisation:
    """Return any organisation, for staff; missing answers 404."""
    return db.get_or_404(Organisation, org_id)


def can_edit(org: Organisation, application: Application | None) -> bool:
    """Tell whether the merchant may change and submit its application now."""
    waiting = application is not None and application.is_awaiting_decision
    return org.status in EDITABLE_STATUSES and not waiting


def category_names(application: Application, locale: str) -> list[str]:
    """Return the names of the application's main categories."""
    ids = set(application.category_ids)
    query = select(Category).order_by(Category.position, Category.id)
    return [c.label(locale) for c in db.session.scalars(query) if c.id in ids]


def save_application(
    org: Organisation,
    actor: User,
    data: ApplicationData,
    *,
    licence: StoredLicence | None = None,
    submit: bool = False,
) -> str | None:
    """Save the application (and submit it if asked); return a replaced licence's name."""
    application = get_application(org.id)
    if not can_edit(org, application):
        raise ConflictError(_("This application cannot be changed now."))
    known = set(db.session.scalars(select(Category.id)))
    if not set(data.category_ids) <= known:
        raise ServiceError(_("Choose categories from the list."), field="categories")
    if submit:
        _check_complete(
            data, has_licence=bool(licence or (application and application.has_licence))
        )
    if application is None:
        application = Application(org_id=org.id)
        db.session.add(application)
    replaced = application.licence_name if licence else None
    application.contact_name = data.contact_name.strip()
    application.contact_phone = data.contact_phone.strip()
    application.shop_links = data.shop_links
    application.category_ids = sorted(set(data.category_ids))
    application.certificate_notes = data.certificate_notes.strip()
    if licence:
        application.licence_name, application.licence_kind = licence.name, licence.kind
    if submit:
        _submit(org, application, actor)
    else:
        record_event(actor, "screening.saved", org, org_id=org.id)
    db.session.commit()
    return replaced


def _check_complete(data: ApplicationData, *, has_licence: bool) -> None:
    if not has_licence:
        raise ServiceError(_("Add your business licence before submitting."), field="licence")
    if not data.shop_links:
        raise ServiceError(_("Add at least one shop link."), field="shop_links")
    if not data.category_ids:
        raise ServiceError(_("Choose at least one main category."), field="categories")


def _submit(org: Organisation, application: Application, actor: User) -> None:
    previous = org.status
    application.submitted_at = utcnow()
    application.decision, application.decision_message = None, ""
    org.status, org.status_reason = OrgStatus.PENDING, ""
    org.contact_name, org.contact_phone = application.contact_name, application.contact_phone
    org.shop_links = "\n".join(application.shop_links)
    record_event(
        actor,
        "screening.submitted",
        org,
        org_id=org.id,
        from_status=previous,
        licence_kind=application.licence_kind,
        categories=application.category_ids,
    )


def _awaiting(org: Organisation) -> Application:
    application = get_application(org.id)
    if org.status != OrgStatus.PENDING or application is None:
        raise ConflictError(_("This organisation has no application waiting for a decision."))
    if not application.is_awaiting_decision:
        raise ConflictError(_("This application is not waiting for a decision."))
    return application


def _required(text: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise ServiceError(message, field="message")
    return text


def _decide(
    org: Organisation, actor: User, decision: Decision, status: OrgStatus, message: str
) -> None:
    application = _awaiting(org)
    previous = org.status
    application.decision, application.decision_message = decision, message
    application.decided_at, application.decided_by_id = utcnow(), actor.id
    org.status, org.status_reason = status, message
    record_event(
        actor,
        f"screening.{decision}",
        org,
        org_id=org.id,
        from_status=previous,
        to_status=status,
        message=message,
        application_id=application.id,
    )
    application_decided.send(org=org, application=application, actor=actor)
    db.session.commit()


def approve(org: Organisation, actor: User) -> None:
    """Approve a submitted application: the merchant may upload and publish."""
    _decide(org, actor, Decision.APPROVED, OrgStatus.APPROVED, "")


def reject(org: Organisation, actor: User, reason: str) -> None:
    """Reject a submitted application, telling the merchant why."""
    reason = _required(reason, _("Give the merchant a reason for the rejection."))
    _decide(org, actor, Decision.REJECTED, OrgStatus.REJECTED, reason)


def request_documents(org: Organisation, actor: User, message: str) -> None:
    """Ask for more documents; the organisation stays pending and may resubmit."""
    message = _required(message, _("Tell the merchant which documents are missing."))
    _decide(org, actor, Decision.MORE_DOCUMENTS, OrgStatus.PENDING, message)


def suspend(org: Organisation, actor: User, reason: str) -> None:
    """Suspend an approved organisation: no uploads, and its clips leave the public."""
    if org.status != OrgStatus.APPROVED:
        raise ConflictError(_("Only an approved organisation can be suspended."))
    reason = _required(reason, _("Give a reason for the suspension."))
    org.status, org.status_reason = OrgStatus.SUSPENDED, reason
    record_event(
        actor,
        "screening.suspended",
        org,
        org_id=org.id,
        from_status=OrgStatus.APPROVED,
        to_status=OrgStatus.SUSPENDED,
        message=reason,
    )
    db.session.commit()


def reinstate(org: Organisation, actor: User) -> None:
    """Lift a suspension: the organisation is approved again."""
    if org.status != OrgStatus.SUSPENDED:
        raise ConflictError(_("Only a suspended organisation can be reinstated."))
    org.status, org.status_reason = OrgStatus.APPROVED, ""
    record_event(
        actor,
        "screening.reinstated",
        org,
        org_id=org.id,
        from_status=OrgStatus.SUSPENDED,
        to_status=OrgStatus.APPROVED,
    )
    db.session.commit()


def review_queue() -> list[Application]:
    """Return applications waiting for a decision, oldest submission first."""
    query = (
        select(Application)
        .join(Application.org)
        .where(
            Application.submitted_at.is_not(None),
            Application.decision.is_(None),
            Organisation.status == OrgStatus.PENDING,
        )
        .order_by(Application.submitted_at, Application.id)
    )
    return list(db.session.scalars(query))


def organisations_by_status() -> dict[OrgStatus, list[Organisation]]:
    """Return every organisation grouped by screening status (pending first), by name."""
    groups: dict[OrgStatus, list[Organisation]] = {status: [] for status in OrgStatus}
    for org in db.session.scalars(merchant_organisations()):
        groups[OrgStatus(org.status)].append(org)
    return groups


def decision_label(application: Application | None) -> str:
    """Return where the application stands, in words for people."""
    if application is None or application.submitted_at is None:
        return _("Not submitted yet")
    labels = {
        Decision.APPROVED: _("Approved"),
        Decision.REJECTED: _("Rejected"),
        Decision.MORE_DOCUMENTS: _("More documents requested"),
    }
    return labels.get(application.decision or "", _("Waiting for a decision"))
