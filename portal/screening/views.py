"""Screening pages: the merchant's application, and the trainers' queue and decisions."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.auth.access import acting_user, current_org_id, merchant_required, staff_required
from portal.catalog.services import list_categories
from portal.errors import ServiceError
from portal.forms import ConfirmForm, form_action
from portal.organisations.models import Organisation
from portal.organisations.services import count_by_status
from portal.screening import licences, services
from portal.screening.forms import ApplicationForm, DecisionForm, SuspendForm
from portal.screening.models import Application, LicenceKind
from portal.web import send_private_file

bp = Blueprint("screening", __name__, url_prefix="/screening", template_folder="templates")


def _application_form(org: Organisation, application: Application | None) -> ApplicationForm:
    form = ApplicationForm(obj=application or org)
    locale = str(get_locale())
    form.categories.choices = [(c.id, c.label(locale)) for c in list_categories()]
    if application is not None and not form.is_submitted():
        form.shop_links.data = "\n".join(application.shop_links)
        form.categories.data = application.category_ids
    return form


def _save(form: ApplicationForm, org: Organisation) -> bool:
    """Store the licence (if any) and save; on failure leave nothing and show errors."""
    upload, stored = form.licence.data, None
    with form_action(form):
        try:
            if upload:
                name, kind = licences.store_licence(
                    upload.stream, org.id, current_app.config["MAX_IMAGE_BYTES"]
                )
                stored = services.StoredLicence(name, kind)
            replaced = services.save_application(
                org, acting_user(), form.to_data(), licence=stored, submit=bool(form.send.data)
            )
        except ServiceError:
            licences.delete_licence(org.id, stored.name if stored else None)
            raise
        licences.delete_licence(org.id, replaced)
        return True
    return False


@bp.route("/application", methods=["GET", "POST"])
@merchant_required
def application() -> ResponseReturnValue:
    """The merchant's application: edit and submit it, or see where it stands."""
    org = acting_user().org
    current = services.get_application(org.id)
    form = _application_form(org, current)
    if form.validate_on_submit() and _save(form, org):
        submitted = bool(form.send.data)
        flash(_("Application submitted.") if submitted else _("Draft saved."), "success")
        return redirect(url_for(".application"))
    return render_template(
        "screening/application.html",
        org=org,
        application=current,
        form=form,
        editable=services.can_edit(org, current),
        **_summary(current, staff=False),
    )


def _summary(application: Application | None, *, staff: bool) -> dict[str, object]:
    """The values the read-only application summary shows."""
    licence_url = None
    if application is not None and application.has_licence:
        endpoint = ".staff_licence" if staff else ".licence"
        licence_url = url_for(endpoint, org_id=application.org_id)
    return {
        "licence_url": licence_url,
        "licence_is_image": application is not None
        and application.licence_kind == LicenceKind.IMAGE,
        "categories": services.category_names(application, str(get_locale()))
        if application
        else [],
        "decision_text": services.decision_label(application),
    }


def _send_licence(application: Application) -> ResponseReturnValue:
    if not application.licence_name or application.licence_kind is None:
        abort(404)
    kind = LicenceKind(application.licence_kind)
    path = licences.licence_path(application.org_id, application.licence_name)
    # A PDF is only ever downloaded: a browser's PDF viewer would run its scripts.
    return send_private_file(
        path,
        mimetype=licences.MIME_TYPES[kind],
        as_attachment=kind is LicenceKind.PDF,
        download_name=f"licence-{application.org_id}{path.suffix}",
        max_age=0,
    )


@bp.get("/application/<int:org_id>/licence")
@merchant_required
def licence(org_id: int) -> ResponseReturnValue:
    """Serve the licence to members of its organisation; any other id answers 404."""
    if org_id != current_org_id():
        abort(404)
    return _send_licence(services.get_application_or_404(org_id))


@bp.get("/")
@staff_required
def queue() -> ResponseReturnValue:
    """Applications waiting for a decision (oldest first) and every organisation by state."""
    return render_template(
        "screening/queue.html",
        applications=services.review_queue(),
        groups=services.organisations_by_status(),
        counts=count_by_status(),
    )


def _review_page(org: Organisation, **forms: object) -> ResponseReturnValue:
    application = services.get_application(org.id)
    return render_template(
        "screening/review.html",
        org=org,
        application=application,
        decision_form=forms.get("decision_form") or DecisionForm(),
        suspend_form=forms.get("suspend_form") or SuspendForm(),
        confirm_form=ConfirmForm(),
        awaiting=org.status == "pending"
        and application is not None
        and application.is_awaiting_decision,
        **_summary(application, staff=True),
    )


@bp.get("/<int:org_id>")
@staff_required
def review(org_id: int) -> ResponseReturnValue:
    """One organisation's application, licence and decision forms."""
    return _review_page(services.get_organisation_or_404(org_id))


@bp.post("/<int:org_id>/decision")
@staff_required
def decide(org_id: int) -> ResponseReturnValue:
    """Approve, reject, or ask for more documents."""
    org = services.get_organisation_or_404(org_id)
    form = DecisionForm()
    if form.validate_on_submit():
        actor, message = acting_user(), form.message.data or ""
        decisions = {
            "approve": lambda: services.approve(org, actor),
            "reject": lambda: services.reject(org, actor, message),
            "more": lambda: services.request_documents(org, actor, message),
        }
        with form_action(form):
            decisions[form.decision.data]()
            flash(_("Decision sent to the merchant."), "success")
            return redirect(url_for(".queue"))
    return _review_page(org, decision_form=form)


@bp.post("/<int:org_id>/suspension")
@staff_required
def suspend(org_id: int) -> ResponseReturnValue:
    """Suspend an approved organisation."""
    org = services.get_organisation_or_404(org_id)
    form = SuspendForm()
    if form.validate_on_submit():
        with form_action(form):
            services.suspend(org, acting_user(), form.message.data or "")
            flash(_("Organisation suspended."), "success")
            return redirect(url_for(".review", org_id=org.id))
    return _review_page(org, suspend_form=form)


@bp.post("/<int:org_id>/reinstatement")
@staff_required
def reinstate(org_id: int) -> ResponseReturnValue:
    """Lift an organisation's suspension."""
    org = services.get_organisation_or_404(org_id)
    if ConfirmForm().validate_on_submit():
        services.reinstate(org, acting_user())
        flash(_("Organisation reinstated."), "success")
    return redirect(url_for(".review", org_id=org.id))


@bp.get("/<int:org_id>/licence")
@staff_required
def staff_licence(org_id: int) -> ResponseReturnValue:
    """Serve any organisation's licence to staff."""
    return _send_licence(services.get_application_or_404(org_id))
