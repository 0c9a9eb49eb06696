"""The administrators' jobs page: every background job with its state and timings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.auth.access import acting_user, admin_required
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.jobs import services
from portal.jobs.models import Job, JobState
from portal.jobs.presenters import empty_message, job_rows
from portal.organisations.models import BASE_ORG_SLUG
from portal.organisations.services import get_org_by_slug
from portal.routing import query_page

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs", template_folder="templates")


@bp.get("/")
@admin_required
def index() -> ResponseReturnValue:
    """List jobs, newest first, optionally of one state."""
    state = request.args.get("state") or None
    page = services.list_jobs(state, query_page())
    training_org = get_org_by_slug(BASE_ORG_SLUG)
    return render_template(
        "jobs/index.html",
        page=page,
        rows=job_rows(page.items, training_org.id if training_org else None),
        empty=empty_message(state),
        state=state,
        states=list(JobState),
        form=ConfirmForm(),
    )


@bp.post("/<int:job_id>/<any(cancel, retry):action>")
@admin_required
def act(job_id: int, action: str) -> ResponseReturnValue:
    """Cancel or retry any job."""
    job = db.get_or_404(Job, job_id)
    if ConfirmForm().validate_on_submit():
        if action == "cancel":
            services.cancel_job(job, acting_user())
            flash(_("Job %(id)s: cancel requested.", id=job.id), "info")
        else:
            services.retry_job(job, acting_user())
            flash(_("Job %(id)s queued again.", id=job.id), "info")
    return redirect(url_for(".index", state=request.args.get("state")))
