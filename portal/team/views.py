"""The team page (members and their roles) and the live accounts page of a merchant organisation.

Members of the organisation (owner and staff) see both; only the owner invites, changes roles and
removes members; owner and staff manage the live accounts. Another organisation's member or
account answers 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.auth.access import acting_user, current_org_id, merchant_required
from portal.auth.models import OrgRole, User
from portal.forms import ConfirmForm, form_action
from portal.organisations.scoping import get_owned_or_404
from portal.team import accounts, services
from portal.team.forms import ORG_ROLE_LABELS, InviteMemberForm, LiveAccountForm, MemberRoleForm
from portal.team.models import LiveAccount, Platform
from portal.web import absolute_url

bp = Blueprint("team", __name__, url_prefix="/team", template_folder="templates")


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"org_role_label": lambda role: ORG_ROLE_LABELS.get(role, "—")}


def _member(user_id: int) -> User:
    """A member of the signed-in owner's organisation; only the owner may act on one."""
    member = get_owned_or_404(User, user_id, current_org_id())
    if not acting_user().is_org_owner:
        abort(403)
    return member


def _members_page(form: InviteMemberForm) -> ResponseReturnValue:
    members = services.list_members(current_org_id())
    is_owner = acting_user().is_org_owner
    role_forms = {
        m.id: MemberRoleForm(formdata=None, org_role=m.team_role) for m in members if is_owner
    }
    return render_template(
        "team/members.html",
        members=members,
        form=form if is_owner else None,
        role_forms=role_forms,
        confirm_form=ConfirmForm(),
        me=acting_user(),
    )


@bp.route("/", methods=["GET", "POST"])
@merchant_required
def members() -> ResponseReturnValue:
    """List the organisation's members; the owner invites new ones."""
    form = InviteMemberForm()
    if form.is_submitted() and not acting_user().is_org_owner:
        abort(403)
    if form.validate_on_submit():
        with form_action(form):
            services.invite_member(
                acting_user(),
                acting_user().org,
                email=form.email.data,
                name=form.name.data,
                org_role=OrgRole(form.org_role.data),
                link_for=lambda token: absolute_url("auth.accept_invite", token=token),
            )
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for(".members"))
    return _members_page(form)


@bp.post("/<int:user_id>/role")
@merchant_required
def member_role(user_id: int) -> ResponseReturnValue:
    """Give a member another role inside the organisation."""
    member = _member(user_id)
    form = MemberRoleForm()
    if form.validate_on_submit():
        with form_action(form):
            services.change_member_role(acting_user(), member, OrgRole(form.org_role.data))
            flash(_("%(name)s's role changed.", name=member.name), "success")
    return redirect(url_for(".members"))


@bp.post("/<int:user_id>/remove")
@merchant_required
def remove(user_id: int) -> ResponseReturnValue:
    """Take a member out of the organisation."""
    member = _member(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with form_action(form):
            services.remove_member(acting_user(), member)
            flash(_("%(name)s is no longer on the team.", name=member.name), "success")
    return redirect(url_for(".members"))


def _account_details(form: LiveAccountForm) -> accounts.AccountDetails:
    return accounts.AccountDetails(
        platform=Platform(form.platform.data),
        name=form.name.data,
        studio=form.studio.data or "",
        streamer_id=form.streamer_id.data or None,
    )


@bp.route("/accounts/", methods=["GET", "POST"])
@merchant_required
def live_accounts() -> ResponseReturnValue:
    """List the organisation's live accounts; add one."""
    org_id = current_org_id()
    form = LiveAccountForm().offer_streamers(services.org_streamers(org_id))
    if form.validate_on_submit():
        with form_action(form):
            accounts.add_account(org_id, acting_user(), _account_details(form))
            flash(_("Live account %(name)s added.", name=form.name.data), "success")
            return redirect(url_for(".live_accounts"))
    return render_template(
        "team/accounts.html",
        form=form,
        accounts=accounts.list_accounts(org_id),
        confirm_form=ConfirmForm(),
    )


@bp.route("/accounts/<int:account_id>", methods=["GET", "POST"])
@merchant_required
def live_account(account_id: int) -> ResponseReturnValue:
    """Change a live account."""
    account = get_owned_or_404(LiveAccount, account_id, current_org_id())
    form = LiveAccountForm(obj=account).offer_streamers(services.org_streamers(account.org_id))
    if form.validate_on_submit():
        with form_action(form):
            accounts.update_account(account, acting_user(), _account_details(form))
            flash(_("Live account saved."), "success")
            return redirect(url_for(".live_accounts"))
    return render_template("team/account.html", form=form, account=account)


@bp.post("/accounts/<int:account_id>/delete")
@merchant_required
def delete_live_account(account_id: int) -> ResponseReturnValue:
    """Delete a live account (its recordings stay, on no account)."""
    account = get_owned_or_404(LiveAccount, account_id, current_org_id())
    if ConfirmForm().validate_on_submit():
        accounts.delete_account(account, acting_user())
        flash(_("Live account deleted."), "success")
    return redirect(url_for(".live_accounts"))
