"""CSV files that people open in spreadsheets: text that would run as a formula is kept text.

Excel, LibreOffice Calc and WPS treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(...)`` sends a row's data to another site, a DDE formula starts a program),
and some also after a leading tab or carriage return. Every CSV export goes through
``csv_text``, which follows OWASP's advice: such a *text* cell is written with a leading single
quote, which a spreadsheet takes as "this is text". Numbers the application writes itself
(``int``, ``float``, ``Decimal``) are never changed, so an amount of ``-5`` stays a number a
spreadsheet can add up; the *text* "-5" that someone typed as a name is quoted, because it is not
an amount. A text that already starts with quotes before one of those characters ("'=x") gets
one more, so ``read_csv`` can take off exactly the quote writing added and every text reads back
as it was written (export, then import, changes nothing).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

FORMULA_STARTS = "=+-@\t\r"
_NEEDS_QUOTE = re.compile(rf"'*[{re.escape(FORMULA_STARTS)}]")


def neutralise_cell(value: object) -> object:
    """Return ``value`` as a spreadsheet must read it: formula-like text gets a leading quote."""
    if isinstance(value, str) and _NEEDS_QUOTE.match(value):
        return "'" + value
    return value


def restore_cell(text: str) -> str:
    """Undo ``neutralise_cell``: drop the quote it added, leave any other text alone."""
    if text.startswith("'") and _NEEDS_QUOTE.match(text, 1):
        return text[1:]
    return text


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """Return ``header`` and ``rows`` as CSV text for spreadsheets (a UTF-8 BOM first).

    The BOM makes Excel read the file as UTF-8 (without it, Chinese comes out garbled).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise_cell(cell) for cell in header])
    writer.writerows([neutralise_cell(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def read_csv(text: str, delimiter: str = ",") -> Iterator[list[str]]:
    """Yield the rows of CSV ``text``, each cell as ``csv_text`` was given it.

    ``delimiter`` "\t" reads cells pasted from a spreadsheet.
    """
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield [restore_cell(cell) for cell in row]
