"""A merchant's API tokens page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.auth.access import acting_user, current_org_id, merchant_required
from portal.forms import ConfirmForm
from portal.organisations.scoping import get_owned_or_404
from portal.tokens import services
from portal.tokens.forms import TokenForm
from portal.tokens.models import ApiToken

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens", template_folder="templates")


@bp.route("/", methods=["GET", "POST"])
@merchant_required
def index() -> ResponseReturnValue:
    """List tokens; create one (its secret is shown once)."""
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        _token, secret = services.create_token(current_org_id(), acting_user(), form.name.data)
        form = TokenForm(formdata=None)
    return render_template(
        "tokens/index.html",
        form=form,
        secret=secret,
        tokens=services.list_tokens(current_org_id()),
        confirm_form=ConfirmForm(),
    )


@bp.post("/<int:token_id>/revoke")
@merchant_required
def revoke(token_id: int) -> ResponseReturnValue:
    """Revoke a token."""
    token = get_owned_or_404(ApiToken, token_id, current_org_id())
    if ConfirmForm().validate_on_submit():
        services.revoke_token(token, acting_user())
        flash(_("Token revoked."), "success")
    return redirect(url_for(".index"))
