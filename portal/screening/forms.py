"""Forms of screening: the merchant's application and the trainers' decisions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.screening.services import ApplicationData

MAX_LINKS = 20
MAX_LINK_LENGTH = 500


def split_links(text: str | None) -> list[str]:
    """Return the non-empty lines of ``text``, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _is_web_link(link: str) -> bool:
    parts = urlsplit(link)
    return (
        parts.scheme in {"http", "https"}
        and bool(parts.hostname)
        and len(link) <= MAX_LINK_LENGTH
        and not any(ch.isspace() for ch in link)
    )


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of check boxes (easier on phones than a select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApplicationForm(FlaskForm):
    """A merchant's screening application."""

    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=100)])
    contact_phone = StringField(
        _l("Contact phone"),
        validators=[DataRequired(), Regexp(r"^[0-9+\- ]{5,40}$", message=_l("Digits only."))],
    )
    shop_links = TextAreaField(
        _l("Shop links"),
        validators=[DataRequired(), Length(max=10_000)],
        description=_l("Your shops on Douyin, Taobao, Kuaishou…: one http(s) link per line."),
    )
    categories = MultiCheckboxField(_l("Main categories"), coerce=int, validators=[DataRequired()])
    certificate_notes = TextAreaField(
        _l("Product certificates"),
        validators=[Length(max=5000)],
        description=_l("Optional: which labs certify your goods (NGTC, GIA…), and how."),
    )
    licence = FileField(
        _l("Business licence"),
        description=_l("A photo or scan (JPEG or PNG), or a PDF."),
    )
    save = SubmitField(_l("Save draft"))
    send = SubmitField(_l("Save and submit for screening"))

    def validate_shop_links(self, field: Any) -> None:
        """Accept only http(s) links, one per line."""
        links = split_links(field.data)
        if len(links) > MAX_LINKS:
            raise ValidationError(_("At most %(n)s links.", n=MAX_LINKS))
        for number, link in enumerate(links, start=1):
            if not _is_web_link(link):
                raise ValidationError(
                    _("Line %(n)s is not an http(s) link: %(link)s", n=number, link=link[:80])
                )

    def to_data(self) -> ApplicationData:
        """Return what the merchant entered, ready for the service."""
        return ApplicationData(
            contact_name=self.contact_name.data or "",
            contact_phone=self.contact_phone.data or "",
            shop_links=split_links(self.shop_links.data),
            category_ids=list(self.categories.data or []),
            certificate_notes=self.certificate_notes.data or "",
        )


class DecisionForm(FlaskForm):
    """A trainer's decision on a submitted application."""

    decision = RadioField(
        _l("Decision"),
        choices=[
            ("approve", _l("Approve")),
            ("reject", _l("Reject")),
            ("more", _l("Ask for more documents")),
        ],
        default="approve",
    )
    message = TextAreaField(
        _l("Message to the merchant"),
        validators=[Length(max=2000)],
        description=_l("Required when you reject or ask for more documents."),
    )
    submit = SubmitField(_l("Send decision"))


class SuspendForm(FlaskForm):
    """Suspend an approved organisation, with a reason."""

    message = TextAreaField(
        _l("Reason for the suspension"),
        validators=[Length(max=2000)],
        description=_l("The merchant sees this reason."),
    )
    submit = SubmitField(_l("Suspend organisation"))
