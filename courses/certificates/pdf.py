"""The certificate as a printable PDF (A4 landscape) drawn with ReportLab.

Texts come in the reader's language; Chinese is drawn with the CJK font of
``courses.certificates.fonts``. The QR code is drawn as vector squares and is also a link to the
public verify URL.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from courses.certificates.fonts import certificate_font
from courses.certificates.services import verify_url
from courses.models import Certificate
from portal.qr import qr_code
from portal.text_cleaning import clean_line

JADE = HexColor("#1f7a5a")
JADE_DARK = HexColor("#145c43")
JADE_LIGHT = HexColor("#e6f3ee")
INK = HexColor("#1d2320")
MUTED = HexColor("#5b6661")
REVOKED_RED = HexColor("#b3261e")
QR_SIZE = 120.0


@dataclass(frozen=True)
class Page:
    """The page's canvas, font and size."""

    canvas: Canvas
    font: str
    width: float
    height: float

    def centred(self, text: str, y: float, size: float, color: object = INK) -> None:
        """Draw ``text`` centred at height ``y``, shrunk to fit the page's width.

        Invisible characters are left out (``clean_line``): the font has no glyph for them, so
        they would print as empty boxes (certificates issued before names were cleaned).
        """
        text = clean_line(text)
        fitted = size
        while fitted > 8 and stringWidth(text, self.font, fitted) > self.width - 160:
            fitted -= 1
        self.canvas.setFillColor(color)
        self.canvas.setFont(self.font, fitted)
        self.canvas.drawCentredString(self.width / 2, y, text)


def certificate_pdf(certificate: Certificate) -> bytes:
    """Draw the certificate and return the PDF's bytes."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height))
    url = verify_url(certificate)
    canvas.setTitle(_("Certificate %(code)s", code=certificate.code))
    canvas.setAuthor("Beltcast")
    canvas.setSubject(url)
    canvas.setKeywords(certificate.code)
    page = Page(
        canvas, certificate_font(current_app.config.get("SUBTITLE_FONT") or None), width, height
    )
    _frame(page)
    _texts(page, certificate)
    _footer(page, certificate, url)
    if certificate.is_revoked:
        _revoked_stamp(page, certificate)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _frame(page: Page) -> None:
    c = page.canvas
    c.setFillColor(JADE_LIGHT)
    c.rect(0, 0, page.width, page.height, stroke=0, fill=1)
    c.setFillColor(HexColor("#ffffff"))
    c.setStrokeColor(JADE)
    c.setLineWidth(3)
    c.roundRect(24, 24, page.width - 48, page.height - 48, 12, stroke=1, fill=1)
    c.setLineWidth(0.8)
    c.roundRect(34, 34, page.width - 68, page.height - 68, 8, stroke=1, fill=0)


def _texts(page: Page, certificate: Certificate) -> None:
    top = page.height - 96
    page.centred("BELTCAST", top, 16, JADE)
    page.centred(_("Jade live-stream base"), top - 18, 10, MUTED)
    page.centred(_("Certificate of completion"), top - 70, 34, JADE_DARK)
    page.centred(_("This certifies that"), top - 118, 14, MUTED)
    page.centred(certificate.holder_name, top - 166, 32)
    page.canvas.setStrokeColor(JADE)
    page.canvas.setLineWidth(0.8)
    page.canvas.line(page.width / 2 - 170, top - 178, page.width / 2 + 170, top - 178)
    page.centred(_("has completed the course"), top - 212, 14, MUTED)
    page.centred(certificate.course_title, top - 252, 24, JADE_DARK)
    issued = format_date(certificate.issued_at, "long")
    page.centred(_("Issued on %(date)s", date=issued), top - 290, 13, MUTED)


def _footer(page: Page, certificate: Certificate, url: str) -> None:
    c = page.canvas
    left, bottom = 64.0, 64.0
    c.setFillColor(MUTED)
    c.setFont(page.font, 10)
    c.drawString(left, bottom + 34, _("Certificate number"))
    c.setFillColor(INK)
    c.setFont(page.font, 16)
    c.drawString(left, bottom + 14, certificate.code)
    c.setFillColor(MUTED)
    c.setFont(page.font, 9)
    c.drawString(left, bottom - 4, _("Check it at %(url)s", url=url))
    x, y = page.width - 64 - QR_SIZE, bottom - 10
    _qr(c, url, x, y)
    c.setFont(page.font, 9)
    c.drawCentredString(x + QR_SIZE / 2, y - 12, _("Scan to verify"))
    c.linkURL(url, (x, y, x + QR_SIZE, y + QR_SIZE), relative=0)


def _qr(c: Canvas, url: str, x: float, y: float) -> None:
    """Draw the QR code of ``url`` as runs of dark squares in a QR_SIZE box at (x, y)."""
    matrix = qr_code(url).matrix
    border = 2
    module = QR_SIZE / (len(matrix) + 2 * border)
    c.setFillColor(HexColor("#000000"))
    for row_index, row in enumerate(matrix):
        top = y + QR_SIZE - (row_index + border + 1) * module
        start = None
        for col, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                c.rect(
                    x + (start + border) * module,
                    top,
                    (col - start) * module,
                    module,
                    stroke=0,
                    fill=1,
                )
                start = None


def _revoked_stamp(page: Page, certificate: Certificate) -> None:
    c = page.canvas
    c.saveState()
    c.setFillColor(REVOKED_RED)
    c.setFillAlpha(0.25)
    c.translate(page.width / 2, page.height / 2 - 20)
    c.rotate(18)
    c.setFont(page.font, 80)
    c.drawCentredString(0, -20, _("REVOKED"))
    c.restoreState()
    when = format_date(certificate.revoked_at, "long") if certificate.revoked_at else ""
    page.centred(_("Revoked on %(date)s", date=when), 150, 14, REVOKED_RED)
