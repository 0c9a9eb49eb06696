"""The public home page and a health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from courses.progress import continue_watching
from portal.auth.access import acting_user

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    """Explain the base to visitors; show signed-in users where to start."""
    org = current_user.org if current_user.is_authenticated else None
    resume = continue_watching(acting_user()) if current_user.is_authenticated else []
    return render_template("home/index.html", org=org, continue_items=resume)


@bp.get("/healthz")
def health() -> ResponseReturnValue:
    """Answer a load balancer's liveness probe."""
    return {"status": "ok"}
