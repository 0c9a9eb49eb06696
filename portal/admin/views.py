"""Administration pages: users, organisations, categories."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.admin import services
from portal.admin.forms import CategoryForm, InviteForm, OrganisationForm, RoleForm
from portal.auth import services as accounts
from portal.auth.access import acting_user, admin_required
from portal.auth.models import Role, User
from portal.catalog.models import Category
from portal.catalog.services import list_categories
from portal.extensions import db
from portal.forms import ConfirmForm, form_action
from portal.organisations.models import Organisation
from portal.organisations.services import create_organisation, list_organisations
from portal.routing import query_id, query_page
from portal.web import absolute_url

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def _with_org_choices(form: InviteForm | RoleForm) -> InviteForm | RoleForm:
    form.org.choices = [(0, "—"), *((o.id, o.name) for o in list_organisations())]
    return form


def _chosen_org(form: InviteForm | RoleForm) -> Organisation | None:
    return db.session.get(Organisation, form.org.data) if form.org.data else None


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users() -> ResponseReturnValue:
    """List users and invite new ones."""
    form = _with_org_choices(InviteForm())
    if form.validate_on_submit():
        with form_action(form):
            user = accounts.invite_user(
                acting_user(),
                email=form.email.data,
                name=form.name.data,
                role=Role(form.role.data),
                org=_chosen_org(form),
                link_for=lambda token: absolute_url("auth.accept_invite", token=token),
            )
            flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            return redirect(url_for(".users"))
    role = request.args.get("role") or None
    page = services.list_users(role, query_page())
    return render_template("admin/users.html", form=form, page=page, role=role)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_detail(user_id: int) -> ResponseReturnValue:
    """Change a user's role."""
    user = db.get_or_404(User, user_id)
    form = _with_org_choices(RoleForm(obj=None if request.method == "POST" else user))
    if not form.is_submitted():
        form.org.data = user.org_id or 0
    if form.validate_on_submit():
        with form_action(form):
            accounts.change_role(acting_user(), user, Role(form.role.data), _chosen_org(form))
            flash(_("Role changed."), "success")
            return redirect(url_for(".user_detail", user_id=user.id))
    return render_template("admin/user.html", user=user, form=form, suspend_form=ConfirmForm())


@bp.post("/users/<int:user_id>/suspension")
@admin_required
def suspension(user_id: int) -> ResponseReturnValue:
    """Suspend or reinstate a user (``suspend=1`` or ``0``)."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        suspend = request.form.get("suspend") == "1"
        accounts.set_suspended(acting_user(), user, suspend)
        flash(_("User suspended.") if suspend else _("User reinstated."), "success")
    return redirect(url_for(".user_detail", user_id=user.id))


@bp.route("/organisations", methods=["GET", "POST"])
@admin_required
def organisations() -> ResponseReturnValue:
    """List organisations and create one."""
    form = OrganisationForm()
    if form.validate_on_submit():
        with form_action(form):
            org = create_organisation(
                form.slug.data, form.name.data, approved=True, actor=acting_user()
            )
            flash(_("Organisation %(name)s created.", name=org.name), "success")
            return redirect(url_for(".organisations"))
    return render_template(
        "admin/organisations.html", form=form, organisations=list_organisations()
    )


@bp.route("/categories", methods=["GET", "POST"])
@admin_required
def categories() -> ResponseReturnValue:
    """List, add and rename catalog categories."""
    category_id = query_id("edit")
    category = db.session.get(Category, category_id) if category_id else None
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        with form_action(form):
            services.save_category(
                acting_user(),
                category,
                name_zh=form.name_zh.data,
                name_en=form.name_en.data,
                position=form.position.data or 0,
            )
            flash(_("Category saved."), "success")
            return redirect(url_for(".categories"))
    return render_template(
        "admin/categories.html", form=form, categories=list_categories(), editing=category
    )
