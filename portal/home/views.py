"""The home page (what waits for each person), a merchant's clips by group, and a health check."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from courses.progress import continue_watching
from media.recordings.services import transcribing
from portal.auth.access import acting_user, current_org_id, merchant_required
from portal.forms import ConfirmForm
from portal.home.boards import merchant_board, trainer_board
from portal.review.clip_lists import ClipGroup, count_clips, group_label, group_page
from portal.routing import query_page
from portal.team import accounts
from portal.web import render_page_or_partial

bp = Blueprint("home", __name__)

GROUPS = ", ".join(group.value for group in ClipGroup)


def _board_for(user: Any) -> dict[str, object]:
    """The signed-in user's board: a merchant's clips, a trainer's queues, else nothing."""
    if user.is_merchant and user.org_id is not None:
        return {"merchant_board": merchant_board(user.org_id)}
    if user.is_staff:
        return {"trainer_board": trainer_board(), "confirm_form": ConfirmForm()}
    return {}


@bp.get("/")
def index() -> ResponseReturnValue:
    """Explain the base to visitors; show signed-in users what waits for them."""
    if not current_user.is_authenticated:
        return render_template("home/index.html", org=None, continue_items=[])
    user = acting_user()
    return render_template(
        "home/index.html",
        org=user.org,
        continue_items=continue_watching(user),
        group_label=group_label,
        **_board_for(user),
    )


@bp.get("/transcribing")
@merchant_required
def transcribing_now() -> ResponseReturnValue:
    """The merchant's recordings still transcribing (the home page polls this while any run)."""
    return render_page_or_partial(
        "home/transcribing.html",
        "home/_transcribing.html",
        transcribing=transcribing(current_org_id()),
    )


@bp.get(f"/clips/<any({GROUPS}):group>")
@merchant_required
def clips(group: str) -> ResponseReturnValue:
    """Every clip of the merchant in one group, newest first."""
    org_id = current_org_id()
    by_account = accounts.account_filter(
        accounts.list_accounts(org_id), request.args.get("account", type=int)
    )
    return render_template(
        "home/clips.html",
        group=ClipGroup(group),
        group_label=group_label,
        page=group_page(ClipGroup(group), org_id, query_page(), by_account.chosen),
        counts=count_clips(org_id, by_account.chosen),
        by_account=by_account,
    )


@bp.get("/healthz")
def health() -> ResponseReturnValue:
    """Answer a load balancer's liveness probe."""
    return {"status": "ok"}
