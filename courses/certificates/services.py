"""Certificates: find them by code, list a learner's, revoke one, draw its QR code.

Certificates are issued by ``courses.completion.refresh_completion``; this module shows, checks
and withdraws them. Anyone may check a code at the public verify URL.
"""

from __future__ import annotations

import re

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from courses.models import Certificate
from portal.audit.services import record_event
from portal.auth.models import User
from portal.database import utcnow
from portal.errors import ConflictError, ServiceError
from portal.extensions import db
from portal.web import absolute_url

MAX_REASON = 1000
_CODE = re.compile(r"^[0-9A-Za-z]{1,32}$")


def find_certificate(code: str) -> Certificate | None:
    """Return the certificate with ``code`` (case-insensitive), or None."""
    if not _CODE.match(code):
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code.upper()))


def get_certificate_for_viewer_or_404(code: str, user: User) -> Certificate:
    """Load a certificate its holder or staff may open; anyone else gets a 404."""
    certificate = find_certificate(code)
    if certificate is None or not (certificate.user_id == user.id or user.is_staff):
        abort(404)
    return certificate


def list_user_certificates(user: User) -> list[Certificate]:
    """Return the user's certificates, newest first."""
    statement = (
        select(Certificate)
        .where(Certificate.user_id == user.id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )
    return list(db.session.scalars(statement))


def revoke_certificate(certificate: Certificate, actor: User, reason: str) -> Certificate:
    """Withdraw a certificate with a written reason; the verify page then says it is revoked."""
    if certificate.is_revoked:
        raise ConflictError(_("This certificate was already revoked."))
    text = reason.strip()
    if not text:
        raise ServiceError(_("Say why the certificate is revoked."), field="reason")
    if len(text) > MAX_REASON:
        raise ServiceError(_("Keep the reason under 1000 characters."), field="reason")
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = actor.id
    certificate.revoke_reason = text
    record_event(actor, "certificate.revoked", certificate, code=certificate.code, reason=text)
    db.session.commit()
    return certificate


def verify_url(certificate: Certificate) -> str:
    """Return the absolute public address where anyone can check the certificate."""
    return absolute_url("courses_certificates.verify", code=certificate.code)
