"""Forms for catalog items, the list filter and CSV import."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, Regexp

from portal.catalog.services import ItemData, split_aliases
from portal.forms import multi_line, one_line

IMAGE_TYPES = ["jpg", "jpeg", "png", "webp"]


class ItemForm(FlaskForm):
    """Create or edit an item."""

    sku = StringField(
        _l("SKU"),
        filters=[one_line],
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(r"^[\w\-.]+$", message=_l("Letters, digits, - _ and . only.")),
        ],
        description=_l("Your own article number; unique in your catalog."),
    )
    name = StringField(_l("Name"), filters=[one_line], validators=[DataRequired(), Length(max=200)])
    aliases = TextAreaField(
        _l("Aliases"),
        filters=[multi_line],
        validators=[Length(max=2000)],
        description=_l(
            "What people say for this item: nicknames, common misspellings, English names. "
            "One per line or separated by commas."
        ),
    )
    category_id = SelectField(_l("Category"), coerce=int, validators=[Optional()])
    price = DecimalField(
        _l("Price (¥)"), places=2, validators=[Optional(), NumberRange(min=0, max=100_000_000)]
    )
    description = TextAreaField(
        _l("Description"), filters=[multi_line], validators=[Length(max=5000)]
    )
    cert_lab = StringField(_l("Certificate lab"), filters=[one_line], validators=[Length(max=100)])
    cert_number = StringField(
        _l("Certificate number"), filters=[one_line], validators=[Length(max=100)]
    )
    cert_grade = StringField(_l("Grade"), filters=[one_line], validators=[Length(max=100)])
    cert_image = FileField(
        _l("Certificate image"),
        validators=[FileAllowed(IMAGE_TYPES, _l("Upload a JPEG, PNG or WebP image."))],
    )
    is_designer_new = BooleanField(_l("Designer new product"))
    submit = SubmitField(_l("Save item"))

    def set_category_choices(self, choices: list[tuple[int, str]]) -> None:
        """Offer the categories (plus 'none')."""
        self.category_id.choices = [(0, "—"), *choices]

    def to_data(self) -> ItemData:
        """Return the validated values as ``ItemData``."""
        price: Decimal | None = self.price.data
        return ItemData(
            sku=self.sku.data.strip(),
            name=self.name.data.strip(),
            aliases=split_aliases(self.aliases.data or ""),
            category_id=self.category_id.data or None,
            price_cents=int(price * 100) if price is not None else None,
            description=self.description.data or "",
            cert_lab=self.cert_lab.data or "",
            cert_number=self.cert_number.data or "",
            cert_grade=self.cert_grade.data or "",
            is_designer_new=self.is_designer_new.data,
        )


class FilterForm(FlaskForm):
    """Search and filter the item list (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)])
    category = SelectField(_l("Category"), coerce=int, validators=[Optional()])
    archived = BooleanField(_l("Show archived"))


class PhotoForm(FlaskForm):
    """Upload one or more photos of an item."""

    photos = MultipleFileField(
        _l("Add photos"),
        validators=[FileRequired(_l("Choose one or more photos."))],
        description=_l(
            "JPEG, PNG or WebP, up to 10 MB each. The first photo is the primary one: it shows "
            "in lists, the library and search."
        ),
        render_kw={"accept": "image/jpeg,image/png,image/webp", "multiple": True},
    )
    submit = SubmitField(_l("Upload photos"))


class PhotoMoveForm(FlaskForm):
    """Make a photo primary or move it one place."""

    action = HiddenField(validators=[AnyOf(["primary", "earlier", "later"])])


class ImportForm(FlaskForm):
    """Upload a CSV file, or a zip file with the CSV and its photos, for preview."""

    file = FileField(
        _l("CSV or zip file"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "txt", "zip"], _l("Choose a .csv or .zip file.")),
        ],
        description=_l(
            "UTF-8 or GBK. Columns: sku, name, aliases, category, price, ... With photos: a zip "
            "file holding the CSV and the images its photos column names."
        ),
    )
    submit = SubmitField(_l("Preview"))
