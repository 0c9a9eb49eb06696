"""Pages for signing in and out, registering, applying, resetting and account settings."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import services
from portal.auth.access import acting_user
from portal.auth.forms import (
    AccountForm,
    ApplyForm,
    ChangePasswordForm,
    ForgotForm,
    LanguageForm,
    LoginForm,
    RegisterForm,
    SetPasswordForm,
)
from portal.auth.models import User
from portal.errors import rate_limit_notice
from portal.extensions import limiter
from portal.forms import form_action
from portal.web import absolute_url, safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


rate_limited = limiter.limit(_login_limit, methods=["POST"])


def start_session(user: User) -> None:
    """Sign ``user`` in with a fresh session (the old session id is discarded)."""
    visitor_lang = session.get("lang")
    session.clear()
    login_user(user)
    session["lang"] = user.locale or visitor_lang


@bp.route("/login", methods=["GET", "POST"])
@rate_limited
def login() -> ResponseReturnValue:
    """Sign in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        with form_action(form):
            user = services.authenticate(form.email.data, form.password.data)
            start_session(user)
            return redirect(safe_next(url_for("home.index")))
    return render_template("auth/login.html", form=form, rate_limit=rate_limit_notice())


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out and forget the session (a copy of the old cookie stops working too)."""
    if current_user.is_authenticated:
        services.end_all_sessions(acting_user())
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("home.index"))


@bp.route("/register", methods=["GET", "POST"])
@rate_limited
def register() -> ResponseReturnValue:
    """Create a streamer account and sign in."""
    form = RegisterForm()
    if form.validate_on_submit():
        with form_action(form):
            user = services.register_streamer(form.name.data, form.email.data, form.password.data)
            start_session(user)
            flash(_("Welcome to Beltcast!"), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/apply", methods=["GET", "POST"])
@rate_limited
def apply() -> ResponseReturnValue:
    """Apply as a merchant: creates a pending organisation and its first member."""
    form = ApplyForm()
    if form.validate_on_submit():
        with form_action(form):
            user = services.apply_as_merchant(
                org_name=form.org_name.data,
                contact_phone=form.contact_phone.data,
                name=form.name.data,
                email=form.email.data,
                password=form.password.data,
            )
            start_session(user)
            flash(_("Application received. The base staff will screen it soon."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/apply.html", form=form)


@bp.route("/forgot", methods=["GET", "POST"])
@rate_limited
def forgot() -> ResponseReturnValue:
    """Ask for a password reset link."""
    form = ForgotForm()
    if form.validate_on_submit():
        services.request_password_reset(
            form.email.data, lambda token: absolute_url("auth.reset", token=token)
        )
        flash(_("If that address has an account, a reset link is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@rate_limited
def reset(token: str) -> ResponseReturnValue:
    """Choose a new password through a reset link."""
    return _set_password_page(token, "reset")


@bp.route("/invite/<token>", methods=["GET", "POST"])
@rate_limited
def accept_invite(token: str) -> ResponseReturnValue:
    """Accept an invitation by choosing a password."""
    return _set_password_page(token, "invite")


def _set_password_page(token: str, purpose: str) -> ResponseReturnValue:
    user = services.user_for_token(token, purpose)
    form = SetPasswordForm()
    if form.validate_on_submit():
        user = services.set_password_with_token(token, purpose, form.password.data)
        start_session(user)
        flash(_("Your password is set."), "success")
        return redirect(url_for("home.index"))
    return render_template("auth/set_password.html", form=form, user=user, purpose=purpose)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> ResponseReturnValue:
    """Change name and language."""
    user = acting_user()
    form = AccountForm(obj=user)
    if form.validate_on_submit():
        services.update_account(user, name=form.name.data, locale=form.locale.data)
        session["lang"] = form.locale.data
        flash(_("Saved."), "success")
        return redirect(url_for("auth.account"))
    if not form.is_submitted():
        form.locale.data = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    return render_template("auth/account.html", form=form, password_form=ChangePasswordForm())


@bp.post("/password")
@login_required
def change_password() -> ResponseReturnValue:
    """Change the password (signs out other sessions)."""
    user = acting_user()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with form_action(form):
            services.change_password(user, form.current_password.data, form.password.data)
            start_session(user)
            flash(_("Password changed."), "success")
            return redirect(url_for("auth.account"))
    account_form = AccountForm(obj=user, locale=user.locale)
    return render_template("auth/account.html", form=account_form, password_form=form)


@bp.post("/language")
def language() -> ResponseReturnValue:
    """Switch the interface language (saved on the account when signed in)."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.locale.data
        if current_user.is_authenticated:
            services.set_locale(acting_user(), form.locale.data)
    return redirect(_without_lang(safe_next(url_for("home.index"))))


def _without_lang(target: str) -> str:
    """Drop ``?lang=`` from ``target``, or it would undo the choice just made."""
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode(query)))
