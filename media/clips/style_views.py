"""Subtitle style pages: the organisation's template and logo, a clip's style and its preview."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from media.clips import styling
from media.clips.models import Clip
from media.clips.services import EDITABLE_STATES
from media.clips.style_forms import TEMPLATE_LABELS, ClipStyleForm, LogoForm, OrgStyleForm
from media.recordings.models import Recording
from media.render.styles import TEMPLATES
from portal.auth.access import acting_user, current_org_id, merchant_required
from portal.extensions import db
from portal.forms import ConfirmForm, form_action
from portal.organisations import logos
from portal.organisations.models import Organisation
from portal.organisations.scoping import get_owned_or_404
from portal.web import render_page_or_partial, send_private_file, wants_partial

bp = Blueprint("styles", __name__, url_prefix="/media", template_folder="templates")

SAMPLE_LINE = "这只冰种翡翠手镯，水头很足"  # the settings page's sample subtitle
SAMPLE_TERMS = ["冰种翡翠手镯"]
PORTRAIT = (720, 1280)


def _org() -> Organisation:
    org = db.session.get(Organisation, current_org_id())
    if org is None:
        abort(404)
    return org


def _settings_page(
    org: Organisation, style_form: OrgStyleForm | None = None, logo_form: LogoForm | None = None
) -> ResponseReturnValue:
    chosen = styling.org_template(org)
    return render_page_or_partial(
        "clips/style_settings.html",
        "clips/_style_settings.html",
        org=org,
        style_form=style_form or OrgStyleForm(template=chosen),
        logo_form=logo_form or LogoForm(formdata=None),
        confirm_form=ConfirmForm(),
        chosen=chosen,
        has_logo=logos.logo_path(org) is not None,
        templates=list(TEMPLATES),
        labels=TEMPLATE_LABELS,
        preview=styling.preview_data(*PORTRAIT),
        sample=styling.highlighted(SAMPLE_LINE, SAMPLE_TERMS),
        hook=_("Today: an icy jade bangle"),
    )


@bp.get("/style")
@merchant_required
def settings() -> ResponseReturnValue:
    """Show the organisation's subtitle template and logo."""
    return _settings_page(_org())


@bp.post("/style")
@merchant_required
def set_template() -> ResponseReturnValue:
    """Save the organisation's default subtitle template."""
    org, form = _org(), OrgStyleForm()
    if form.validate_on_submit():
        styling.set_org_template(org, form.template.data, acting_user())
        flash(_("The subtitle template is saved."), "success")
        return redirect(url_for(".settings"))
    return _settings_page(org, style_form=form)


@bp.post("/style/logo")
@merchant_required
def upload_logo() -> ResponseReturnValue:
    """Upload the organisation's logo; a bad file is named beside the field, nothing is kept."""
    org, form = _org(), LogoForm()
    if form.validate_on_submit():
        data = form.logo.data.read(logos.MAX_LOGO_BYTES + 1)
        with form_action(form):
            logos.store_logo(org, data, acting_user())
            flash(_("The logo is saved."), "success")
            return redirect(url_for(".settings"))
    return _settings_page(org, logo_form=form)


@bp.post("/style/logo/delete")
@merchant_required
def delete_logo() -> ResponseReturnValue:
    """Remove the organisation's logo."""
    if ConfirmForm().validate_on_submit():
        logos.remove_logo(_org(), acting_user())
        flash(_("The logo is removed."), "success")
    return redirect(url_for(".settings"))


@bp.get("/style/logo.png")
@merchant_required
def logo() -> ResponseReturnValue:
    """Serve the organisation's logo to its members."""
    path = logos.logo_path(_org())
    if path is None:
        abort(404)
    return send_private_file(path, mimetype="image/png", max_age=300)


def _clip(clip_id: int) -> Clip:
    return get_owned_or_404(Clip, clip_id, current_org_id())


def clip_style_form(clip: Clip) -> ClipStyleForm:
    """The clip's style form, filled from the clip."""
    form = ClipStyleForm(formdata=None)
    form.set_choices(str(TEMPLATE_LABELS[styling.org_template(clip.org)]))
    form.template.data = clip.subtitle_template or ""
    form.hook_text.data = styling.hook_line(clip)
    form.show_card.data = clip.show_card
    return form


def style_context(clip: Clip, form: ClipStyleForm | None = None) -> dict[str, object]:
    """What the editor's style section and its preview over the player show."""
    recording = db.session.get(Recording, clip.recording_id)
    width, height = (recording.width, recording.height) if recording else PORTRAIT
    item = clip.items[0] if clip.items else None
    photo = item.primary_photo if item is not None else None
    cue = next((c for c in clip.cues if not c.is_hidden and c.text.strip()), None)
    return {
        "style_form": form or clip_style_form(clip),
        "style_preview": styling.preview_data(width, height),
        "style_chosen": styling.clip_template(clip),
        "style_org_template": styling.org_template(clip.org),
        "style_sample": styling.highlighted(
            cue.text if cue else SAMPLE_LINE, styling.highlight_terms(clip)
        ),
        "style_card": styling.card_texts(item) if item is not None else None,
        "style_photo_url": url_for(
            "catalog.photo", item_id=item.id, photo_id=photo.id, size="thumb"
        )
        if item is not None and photo is not None
        else None,
        "style_logo_url": url_for("styles.logo") if logos.logo_path(clip.org) else None,
        "style_editable": clip.state in EDITABLE_STATES,
    }


@bp.post("/clips/<int:clip_id>/style")
@merchant_required
def clip_style(clip_id: int) -> ResponseReturnValue:
    """Save a clip's template, hook line and card switch (shown in its next render)."""
    clip = _clip(clip_id)
    form = ClipStyleForm()
    form.set_choices(str(TEMPLATE_LABELS[styling.org_template(clip.org)]))
    if form.validate_on_submit():
        styling.set_clip_style(
            clip,
            acting_user(),
            template=form.template.data or None,
            hook_text=form.hook_text.data or "",
            show_card=form.show_card.data,
        )
        if not wants_partial():
            flash(_("The style is saved: it shows in the next render."), "success")
            return redirect(url_for("clips.editor", clip_id=clip.id, _anchor="clip-style"))
    return render_page_or_partial(
        "clips/style_page.html",
        "clips/_style.html",
        clip=clip,
        **style_context(clip, form),
        style_saved=form.is_submitted() and not form.errors,
    )
