"""Forms of the subtitle styles: the organisation's template and logo, a clip's style."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from media.render.styles import TEMPLATES

TEMPLATE_LABELS = {
    "clean": _l("Clean: white, thin outline, at the bottom"),
    "bold": _l("Bold highlight: larger, thick outline, names in yellow"),
    "big": _l("Big centre: large lines in the middle of the frame"),
}


def template_choices() -> list[tuple[str, str]]:
    """Every built-in template with its translated label."""
    return [(name, str(TEMPLATE_LABELS[name])) for name in TEMPLATES]


class OrgStyleForm(FlaskForm):
    """The organisation's default subtitle template."""

    template = RadioField(
        _l("Subtitle template"),
        choices=template_choices,
        validators=[InputRequired(_l("Choose a template."))],
    )
    submit = SubmitField(_l("Save template"))


class LogoForm(FlaskForm):
    """Upload the organisation's logo."""

    logo = FileField(
        _l("Logo"),
        validators=[FileRequired(_l("Choose an image file."))],
        description=_l(
            "PNG, JPEG or WebP, at most 2 MB. A PNG with a transparent background looks best; it "
            "is shown small in the top right corner of every render."
        ),
    )
    submit = SubmitField(_l("Upload logo"))


class ClipStyleForm(FlaskForm):
    """A clip's subtitle template, hook line and product card."""

    template = RadioField(_l("Subtitle template"), default="")
    hook_text = StringField(
        _l("Hook line"),
        validators=[Length(max=200)],
        description=_l("Shown at the top for the first 3 seconds. Empty: no hook line."),
    )
    show_card = BooleanField(
        _l("Show the product card (photo, name, price, certificate) while the item is discussed")
    )
    submit = SubmitField(_l("Save style"))

    def set_choices(self, org_template_label: str) -> None:
        """Offer the organisation's default first, then every template."""
        default = str(_l("Organisation default (%(name)s)", name=org_template_label))
        self.template.choices = [("", default), *template_choices()]
