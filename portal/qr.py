"""QR codes of public addresses, for print (the certificate PDF) and for pages (inline SVG)."""

from __future__ import annotations

import segno


def qr_code(url: str) -> segno.QRCode:
    """Return the QR code of ``url`` (medium error correction, survives a print and a phone)."""
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, title: str) -> str:
    """Return the QR code of ``url`` as inline SVG markup (no style attributes: strict CSP)."""
    return qr_code(url).svg_inline(scale=4, border=3, dark="#145c43", title=title)
