"""Catalog CSV import (parse, preview, all-or-nothing commit) and export.

Accepts UTF-8 (with or without BOM) and GBK/GB18030 files, as Chinese spreadsheets export
them, with English or Chinese column headers, alone or in a zip file with the photos its
``photos`` column names (``portal.catalog.photo_import``). Export and import go through
``portal.spreadsheets``: formula-like text is exported quoted and imported as it was.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog import photo_import
from portal.catalog.models import CatalogImport, Category, Item
from portal.catalog.photos import StoredPhoto, attach_photos
from portal.catalog.services import ItemData, list_categories, split_aliases
from portal.catalog.signals import (
    catalog_changed,
    certificate_of,
    item_archived,
    item_certificate_changed,
    recalls_counted,
)
from portal.database import utcnow
from portal.errors import ServiceError
from portal.extensions import db
from portal.organisations.models import Organisation
from portal.organisations.scoping import scoped
from portal.spreadsheets import csv_text, read_csv
from portal.text_cleaning import clean_line, clean_text

MAX_ROWS = 5000
MAX_FILE_BYTES = 5 * 1024 * 1024

COLUMNS = (
    "sku",
    "name",
    "aliases",
    "category",
    "price",
    "description",
    "cert_lab",
    "cert_number",
    "cert_grade",
    "designer_new",
)
HEADER_ALIASES = {
    "sku": "sku",
    "货号": "sku",
    "编号": "sku",
    "name": "name",
    "名称": "name",
    "品名": "name",
    "商品名称": "name",
    "aliases": "aliases",
    "别名": "aliases",
    "category": "category",
    "类别": "category",
    "分类": "category",
    "price": "price",
    "价格": "price",
    "售价": "price",
    "description": "description",
    "描述": "description",
    "介绍": "description",
    "cert_lab": "cert_lab",
    "证书机构": "cert_lab",
    "检测机构": "cert_lab",
    "cert_number": "cert_number",
    "证书编号": "cert_number",
    "cert_grade": "cert_grade",
    "等级": "cert_grade",
    "证书等级": "cert_grade",
    "designer_new": "designer_new",
    "设计师新品": "designer_new",
    "archived": "archived",
    "归档": "archived",
    "已归档": "archived",
    "photos": "photos",
    "图片": "photos",
    "照片": "photos",
}
MULTI_LINE_COLUMNS = frozenset({"aliases", "description"})
TRUE_WORDS = {"1", "true", "yes", "y", "是", "对", "√"}
FALSE_WORDS = {"", "0", "false", "no", "n", "否"}


@dataclass
class ImportRow:
    """One data row of the file: what it will write, or why it cannot."""

    line: int
    data: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    action: str = "create"
    archive: bool = False  # an optional "archived" column; without it a row restores the item
    photo_names: list[str] = field(default_factory=list)  # as the "photos" column names them
    photos: list[dict[str, Any]] = field(default_factory=list)  # stored: ``StoredPhoto`` fields


def decode_csv(raw: bytes) -> str:
    """Decode CSV bytes as UTF-8 (BOM optional) or, failing that, GB18030 (covers GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ServiceError(_("The file is neither UTF-8 nor GBK text."), field="file")


def _header_map(header: list[str]) -> dict[int, str]:
    mapping = {}
    for index, title in enumerate(header):
        key = HEADER_ALIASES.get(title.strip().lower()) or HEADER_ALIASES.get(title.strip())
        if key:
            mapping[index] = key
    missing = {"sku", "name"} - set(mapping.values())
    if missing:
        raise ServiceError(
            _("The header row needs the columns: %(columns)s", columns=", ".join(sorted(missing))),
            field="file",
        )
    return mapping


def _parse_price(text: str) -> int | None:
    cleaned = text.replace("¥", "").replace("￥", "").replace(",", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(_("price %(value)s is not a number", value=text)) from exc
    if value < 0 or value > Decimal("100000000"):
        raise ValueError(_("price %(value)s is out of range", value=text))
    return int((value * 100).to_integral_value())


def _parse_word(text: str) -> bool | None:
    word = text.strip().lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def _parse_flag(text: str) -> bool:
    flag = _parse_word(text)
    if flag is None:
        raise ValueError(_("designer_new must be yes or no, not %(value)s", value=text))
    return flag


def _category_lookup() -> dict[str, int]:
    lookup = {}
    for category in list_categories():
        lookup[category.name_zh] = category.id
        lookup[category.name_en.lower()] = category.id
    return lookup


def _clean_cell(column: str, cell: str) -> str:
    """Take invisible characters out of a cell, as the item form's filters do."""
    return clean_text(cell) if column in MULTI_LINE_COLUMNS else clean_line(cell)


def _row_data(cells: dict[str, str], categories: dict[str, int]) -> tuple[ItemData, list[str]]:
    errors: list[str] = []
    sku, name = cells.get("sku", "").strip(), cells.get("name", "").strip()
    if not sku:
        errors.append(_("SKU is missing"))
    elif len(sku) > 64:
        errors.append(_("SKU is longer than 64 characters"))
    if not name:
        errors.append(_("name is missing"))
    elif len(name) > 200:
        errors.append(_("name is longer than 200 characters"))
    category_text = cells.get("category", "").strip()
    category_id = categories.get(category_text) or categories.get(category_text.lower())
    if category_text and category_id is None:
        errors.append(_("unknown category %(name)s", name=category_text))
    data = ItemData(
        sku=sku,
        name=name,
        aliases=split_aliases(cells.get("aliases", "")),
        category_id=category_id,
        description=cells.get("description", "").strip(),
        cert_lab=cells.get("cert_lab", "").strip()[:100],
        cert_number=cells.get("cert_number", "").strip()[:100],
        cert_grade=cells.get("cert_grade", "").strip()[:100],
    )
    for attribute, parser, text in (
        ("price_cents", _parse_price, cells.get("price", "")),
        ("is_designer_new", _parse_flag, cells.get("designer_new", "")),
    ):
        try:
            setattr(data, attribute, parser(text))
        except ValueError as exc:
            errors.append(str(exc))
    return data, errors


def parse_catalog_csv(raw: bytes, org_id: int) -> list[ImportRow]:
    """Parse and validate every row; nothing is written."""
    if len(raw) > MAX_FILE_BYTES:
        raise ServiceError(_("The file is larger than 5 MB."), field="file")
    reader = read_csv(decode_csv(raw))
    header = next(reader, None)
    if not header:
        raise ServiceError(_("The file is empty."), field="file")
    columns = _header_map(header)
    categories = _category_lookup()
    existing = {item.sku: item.id for item in db.session.scalars(scoped(Item, org_id))}
    seen: dict[str, int] = {}
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            columns[i]: _clean_cell(columns[i], cell)
            for i, cell in enumerate(cells)
            if i in columns
        }
        data, errors = _row_data(values, categories)
        archive = _parse_word(values.get("archived", ""))
        if archive is None:
            errors.append(_("archived must be yes or no, not %(value)s", value=values["archived"]))
        if data.sku in seen:
            errors.append(_("SKU %(sku)s repeats line %(line)s", sku=data.sku, line=seen[data.sku]))
        seen.setdefault(data.sku, line)
        action = "update" if data.sku in existing else "create"
        rows.append(
            ImportRow(
                line,
                asdict(data),
                errors,
                action=action,
                archive=bool(archive),
                photo_names=photo_import.split_photo_names(values.get("photos", "")),
            )
        )
        if len(rows) > MAX_ROWS:
            raise ServiceError(_("The file has more than 5000 rows."), field="file")
    if not rows:
        raise ServiceError(_("The file has no data rows."), field="file")
    return rows


def parse_upload(raw: bytes, org_id: int) -> list[ImportRow]:
    """Parse a CSV file, or a zip file with the CSV and its photos (stored, unless a row fails)."""
    csv_raw, archive = photo_import.open_upload(raw)
    rows = parse_catalog_csv(csv_raw, org_id)
    photo_import.stage_photos(rows, archive, org_id)
    return rows


def save_preview(org_id: int, actor: User, filename: str, rows: list[ImportRow]) -> CatalogImport:
    """Keep a parsed file until the merchant confirms it."""
    pending = CatalogImport(
        org_id=org_id,
        created_by_id=actor.id,
        filename=filename[:255],
        rows=[asdict(row) for row in rows],
    )
    db.session.add(pending)
    db.session.commit()
    return pending


def preview_rows(pending: CatalogImport) -> list[ImportRow]:
    """Return the stored rows of a pending import."""
    return [ImportRow(**row) for row in pending.rows]


def clips_to_recall(pending: CatalogImport) -> int:
    """How many approved or published clips confirming ``pending`` would send back to review."""
    by_sku = {item.sku: item for item in db.session.scalars(scoped(Item, pending.org_id))}
    item_ids = [
        item.id
        for row in preview_rows(pending)
        if (item := by_sku.get(row.data["sku"])) is not None and _recalls(item, row)
    ]
    if not item_ids:
        return 0
    return sum(count for _, count in recalls_counted.send(item_ids=item_ids))


def _recalls(item: Item, row: ImportRow) -> bool:
    """Tell whether the row archives the live item or changes its certificate."""
    if row.archive:
        return not item.is_archived
    new = (row.data["cert_lab"], row.data["cert_number"], row.data["cert_grade"])
    return not item.is_archived and new != certificate_of(item)


@dataclass
class Applied:
    """What an import wrote: the row count and the existing items whose clips need review."""

    count: int
    certificate_changed: list[Item] = field(default_factory=list)
    archived: list[Item] = field(default_factory=list)


def apply_rows(org: Organisation, actor: User | None, rows: list[ImportRow]) -> Applied:
    """Write every row (create or update by SKU) in one transaction; any error writes none."""
    if any(row.errors for row in rows):
        raise ServiceError(_("Fix the errors in the file before importing."))
    by_sku = {item.sku: item for item in db.session.scalars(scoped(Item, org.id))}
    applied = Applied(len(rows))
    for row in rows:
        data = ItemData(**row.data)
        item = by_sku.get(data.sku) or Item(org_id=org.id)
        certificate, was_archived = certificate_of(item), item.is_archived
        for name, value in asdict(data).items():
            setattr(item, name, value)
        item.archived_at = (item.archived_at or utcnow()) if row.archive else None
        if row.photos:  # the file's photos replace the item's, so importing twice adds none
            attach_photos(item, [StoredPhoto(**photo) for photo in row.photos], replace=True)
        if item.id is not None and certificate_of(item) != certificate:
            applied.certificate_changed.append(item)
        if item.id is not None and item.is_archived and not was_archived:
            applied.archived.append(item)
        db.session.add(item)
    db.session.flush()
    record_event(actor, "catalog.imported", org, org_id=org.id, rows=len(rows))
    return applied


def _after_commit(org: Organisation, applied: Applied) -> None:
    """Send clips of changed or archived items back to review, as the edit form does."""
    for item in applied.archived:
        item_archived.send(item=item)
    for item in applied.certificate_changed:
        if not item.is_archived:
            item_certificate_changed.send(item=item)
    catalog_changed.send(org_id=org.id)


def commit_import(pending: CatalogImport, actor: User) -> int:
    """Apply a confirmed preview and forget it; return the number of items written."""
    org = db.get_or_404(Organisation, pending.org_id)
    applied = apply_rows(org, actor, preview_rows(pending))
    db.session.delete(pending)
    db.session.commit()
    _after_commit(org, applied)
    return applied.count


def import_file(raw: bytes, org: Organisation, actor: User | None) -> tuple[int, list[ImportRow]]:
    """Parse and, when every row is valid, write a file at once (the CLI's path)."""
    rows = parse_upload(raw, org.id)
    if any(row.errors for row in rows):
        return 0, rows
    applied = apply_rows(org, actor, rows)
    db.session.commit()
    _after_commit(org, applied)
    return applied.count, rows


def export_csv(org_id: int) -> str:
    """Return the organisation's active items as CSV text for spreadsheets (``csv_text``)."""
    names = {c.id: c.name_zh for c in db.session.scalars(select(Category))}
    statement = scoped(Item, org_id).where(Item.archived_at.is_(None)).order_by(Item.sku)
    rows = (
        [
            item.sku,
            item.name,
            "|".join(item.aliases),
            names.get(item.category_id or 0, ""),
            "" if item.price_cents is None else Decimal(item.price_cents).scaleb(-2),
            item.description,
            item.cert_lab,
            item.cert_number,
            item.cert_grade,
            "yes" if item.is_designer_new else "no",
        ]
        for item in db.session.scalars(statement)
    )
    return csv_text(COLUMNS, rows)
