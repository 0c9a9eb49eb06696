"""The platform's goods list, pasted or imported as CSV: one row per link, a link number and the
item (its SKU, name or alias). Parsed into a preview where every row is matched or says why
not; saving replaces the stream's whole list, and only when no row has an error.

Accepted shapes: a header row naming the columns (English or Chinese: 链接/序号, 商品编号/SKU/
货号, 商品名称/名称), cells separated by commas or tabs (a spreadsheet's copy); or no header,
each line "3,HT-002", "3 和田玉吊坠", "3、和田玉吊坠" or just the item. Files are decoded as the
catalog import decodes them (UTF-8 with or without BOM, GBK/GB18030).

An item is found among the organisation's active items by SKU (case ignored) first, then by
exact name, then by alias (both compared as mention matching normalises text). A name or alias
that fits several items asks for the SKU.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from media.mentions.links import MAX_LINK_NUMBER
from media.mentions.normalise import normalise
from media.recordings import stream_items
from media.recordings.models import Recording
from portal.auth.models import User
from portal.catalog.csv_io import decode_csv
from portal.catalog.models import Item
from portal.catalog.services import active_items
from portal.errors import ServiceError
from portal.spreadsheets import read_csv

MAX_ROWS = 500
MAX_FILE_BYTES = 200 * 1024
HEADERS = {
    "link": {
        "link",
        "link number",
        "link_number",
        "no",
        "no.",
        "#",
        "链接",
        "链接号",
        "链接序号",
        "序号",
        "号",
    },
    "sku": {"sku", "货号", "编号", "商品编号", "商品id"},
    "name": {"name", "item", "item name", "商品", "商品名称", "名称", "品名", "商品标题", "标题"},
}
_NUMBERED_LINE = re.compile(r"^\s*#?(\d{1,4})\s*(?:号|[.、:：)）]|\s)\s*(\S.*)$")
_LINK_CELL = re.compile(r"^#?\s*(\d{1,4})\s*(?:号)?(?:链接)?$")


@dataclass
class GoodsRow:
    """One row of the list: what it says, the item it names, or why it cannot be saved."""

    line: int
    written: str
    link_number: int | None = None
    item: Item | None = None
    matched_by: str = ""  # "sku", "name" or "alias"
    errors: list[str] = field(default_factory=list)


@dataclass
class GoodsPreview:
    """The parsed list, how many items it replaces, and whether it was saved."""

    text: str
    rows: list[GoodsRow]
    replaces: int
    saved: bool = False

    @property
    def has_errors(self) -> bool:
        """Tell whether any row stops the list from being saved."""
        return any(row.errors for row in self.rows)


def list_text(text: str | None, upload: FileStorage | None) -> str:
    """Return the list's text: the uploaded file's (decoded), else what was pasted."""
    if upload is None or not upload.filename:
        return text or ""
    raw = upload.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ServiceError(_("The file is larger than 200 KB."), field="file")
    return decode_csv(raw)


def preview_list(recording: Recording, text: str) -> GoodsPreview:
    """Parse ``text`` against the catalog; nothing is written."""
    return GoodsPreview(
        text, _rows(text, recording.org_id), len(stream_items.list_entries(recording))
    )


def save_list(recording: Recording, actor: User | None, text: str) -> GoodsPreview:
    """Parse ``text`` again and, when every row is fine, make it the stream's whole list."""
    preview = preview_list(recording, text)
    if not preview.has_errors:
        links = [(row.link_number, row.item.id) for row in preview.rows if row.item is not None]
        stream_items.replace_items(recording, actor, links)
        preview.saved = True
    return preview


def _cells(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, stripped cells) of every non-empty line."""
    lines = text.lstrip("\ufeff").splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = "\t" if "\t" in first else ","
    for line, cells in enumerate(read_csv("\n".join(lines), delimiter), start=1):
        stripped = [cell.strip() for cell in cells]
        if any(stripped):
            yield line, stripped


def _columns(cells: list[str]) -> dict[str, int] | None:
    """Map column kinds to positions when ``cells`` is a header row, else None."""
    found = {}
    for index, cell in enumerate(cells):
        for kind, titles in HEADERS.items():
            if cell.lower() in titles:
                found.setdefault(kind, index)
    return found or None


def _rows(text: str, org_id: int) -> list[GoodsRow]:
    rows = list(_cells(text))
    columns = _columns(rows[0][1]) if rows else None
    if columns is not None:
        if not {"sku", "name"} & set(columns):
            raise ServiceError(_("The header row needs a SKU or name column."), field="text")
        rows = rows[1:]
    if not rows:
        raise ServiceError(_("The list has no rows."), field="text")
    if len(rows) > MAX_ROWS:
        raise ServiceError(_("The list has more than %(max)s rows.", max=MAX_ROWS), field="text")
    catalog = _Catalog(active_items(org_id))
    parsed = [_row(line, cells, columns, catalog) for line, cells in rows]
    _mark_repeats(parsed)
    return parsed


def _cell(cells: list[str], columns: dict[str, int], kind: str) -> str:
    index = columns.get(kind)
    return cells[index] if index is not None and index < len(cells) else ""


def _split(cells: list[str], columns: dict[str, int] | None) -> tuple[str, list[str]]:
    """Return the row's link cell and the cells naming its item, most telling first."""
    if columns is not None:
        keys = [_cell(cells, columns, "sku"), _cell(cells, columns, "name")]
        return _cell(cells, columns, "link"), [key for key in keys if key]
    if len(cells) == 1:
        numbered = _NUMBERED_LINE.match(cells[0])
        return (numbered.group(1), [numbered.group(2)]) if numbered else ("", cells)
    if _LINK_CELL.match(cells[1]) and not _LINK_CELL.match(cells[0]):
        return cells[1], [cells[0]]
    return cells[0], [c for c in cells[1:] if c][:1]


def _row(
    line: int, cells: list[str], columns: dict[str, int] | None, catalog: _Catalog
) -> GoodsRow:
    if columns is None and len(cells) == 1 and catalog.find(cells[0])[0] is not None:
        link, keys = "", cells  # a whole line naming an item ("925 银手链") keeps its digits
    else:
        link, keys = _split(cells, columns)
    row = GoodsRow(line, " · ".join(c for c in cells if c))
    row.link_number = _link_number(link, row)
    row.item, row.matched_by, problem = catalog.find(*keys)
    if problem:
        row.errors.append(problem)
    return row


def _link_number(text: str, row: GoodsRow) -> int | None:
    if not text:
        return None
    found = _LINK_CELL.match(text)
    number = int(found.group(1)) if found else 0
    if not 1 <= number <= MAX_LINK_NUMBER:
        row.errors.append(_("The link number must be a whole number from 1 to 999."))
        return None
    return number


def _mark_repeats(rows: list[GoodsRow]) -> None:
    numbers: dict[int, int] = {}
    items: dict[int, int] = {}
    for row in rows:
        if row.link_number is not None:
            if row.link_number in numbers:
                row.errors.append(
                    _(
                        "Link number %(number)s repeats line %(line)s.",
                        number=row.link_number,
                        line=numbers[row.link_number],
                    )
                )
            numbers.setdefault(row.link_number, row.line)
        if row.item is not None:
            if row.item.id in items:
                row.errors.append(_("The item repeats line %(line)s.", line=items[row.item.id]))
            items.setdefault(row.item.id, row.line)


class _Catalog:
    """The active items by SKU (case ignored), by name and by alias (normalised)."""

    def __init__(self, items: list[Item]) -> None:
        self.by_sku = {item.sku.casefold(): item for item in items}
        self.by_name: dict[str, list[Item]] = defaultdict(list)
        self.by_alias: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            self.by_name[normalise(item.name)].append(item)
            for alias in {normalise(alias) for alias in item.aliases}:
                self.by_alias[alias].append(item)

    def find(self, *keys: str) -> tuple[Item | None, str, str]:
        """Return (item, matched by, problem) for the first key that names an item."""
        for key in keys:
            if (item := self.by_sku.get(key.casefold())) is not None:
                return item, "sku", ""
        for kind, table in (("name", self.by_name), ("alias", self.by_alias)):
            for key in keys:
                found = table.get(normalise(key), [])
                if len(found) == 1:
                    return found[0], kind, ""
                if found:
                    skus = ", ".join(sorted(item.sku for item in found))
                    return None, "", _("Several items match (%(skus)s): use the SKU.", skus=skus)
        return None, "", _("No item of your catalog has this SKU, name or alias.")
