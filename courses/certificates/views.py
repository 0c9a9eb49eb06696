"""Certificate pages: mine, one certificate and its PDF, public verify, revoke, course learners.

Trainers also read a course's gradebook here (a page and its CSV file).
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from courses.certificates import gradebook, learners, services
from courses.certificates.forms import RevokeForm, VerifyForm
from courses.certificates.pdf import certificate_pdf
from courses.models import Certificate
from portal.auth.access import acting_user, staff_required
from portal.forms import form_action
from portal.qr import qr_svg

bp = Blueprint("courses_certificates", __name__, template_folder="templates")


@bp.get("/courses/certificates/")
@login_required
def mine() -> ResponseReturnValue:
    """The signed-in learner's certificates."""
    return render_template(
        "certificates/mine.html", certificates=services.list_user_certificates(acting_user())
    )


def _page(certificate: Certificate, form: RevokeForm | None = None) -> ResponseReturnValue:
    url = services.verify_url(certificate)
    return render_template(
        "certificates/certificate.html",
        certificate=certificate,
        verify_url=url,
        qr_svg=qr_svg(url, _("QR code of the verify address")),
        revoke_form=form or RevokeForm(formdata=None),
    )


@bp.get("/courses/certificates/<code>")
@login_required
def certificate(code: str) -> ResponseReturnValue:
    """A certificate: name, course, date, code and QR code (its holder and staff only)."""
    return _page(services.get_certificate_for_viewer_or_404(code, acting_user()))


@bp.get("/courses/certificates/<code>.pdf")
@login_required
def pdf(code: str) -> ResponseReturnValue:
    """The certificate as a PDF download."""
    found = services.get_certificate_for_viewer_or_404(code, acting_user())
    return Response(
        certificate_pdf(found),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename=beltcast-{found.code}.pdf"},
    )


@bp.post("/courses/certificates/<code>/revoke")
@staff_required
def revoke(code: str) -> ResponseReturnValue:
    """Staff withdraw a certificate with a reason."""
    found = services.get_certificate_for_viewer_or_404(code, acting_user())
    form = RevokeForm()
    if form.validate_on_submit():
        with form_action(form):
            services.revoke_certificate(found, acting_user(), form.reason.data or "")
            flash(_("The certificate was revoked."), "success")
            return redirect(url_for(".certificate", code=found.code))
    return _page(found, form)


@bp.get("/verify/")
def verify_form() -> ResponseReturnValue:
    """Anyone types a certificate number; a well-formed one opens its verify page."""
    form = VerifyForm(request.args)
    if request.args and form.validate():
        return redirect(url_for(".verify", code=form.code.data.upper()))
    return render_template("certificates/verify_form.html", form=form)


@bp.get("/verify/<code>")
def verify(code: str) -> ResponseReturnValue:
    """Public check of a certificate code: valid or revoked, whose, for which course."""
    found = services.find_certificate(code)
    if found is None:
        form = VerifyForm(data={"code": code})
        return render_template("certificates/verify_unknown.html", code=code, form=form), 404
    return render_template("certificates/verify.html", certificate=found)


@bp.get("/courses/manage/<int:course_id>/learners", endpoint="learners")
@staff_required
def learners_page(course_id: int) -> ResponseReturnValue:
    """A course's learners: progress, best quiz scores, pending practice, certificates."""
    report = learners.learners_report(learners.get_course_or_404(course_id))
    return render_template("certificates/learners.html", report=report)


@bp.get("/courses/manage/<int:course_id>/gradebook", endpoint="gradebook")
@staff_required
def gradebook_page(course_id: int) -> ResponseReturnValue:
    """A course's gradebook: each learner's lessons, best quiz scores and practice."""
    book = gradebook.build_gradebook(learners.get_course_or_404(course_id))
    return render_template("certificates/gradebook.html", book=book)


@bp.get("/courses/manage/<int:course_id>/gradebook.csv", endpoint="gradebook_csv")
@staff_required
def gradebook_csv(course_id: int) -> ResponseReturnValue:
    """The gradebook as a CSV file for spreadsheets."""
    book = gradebook.build_gradebook(learners.get_course_or_404(course_id))
    return Response(
        gradebook.gradebook_csv(book),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=gradebook-{course_id}.csv"},
    )
