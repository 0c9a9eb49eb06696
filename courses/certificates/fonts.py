"""The CJK font certificates are drawn with in the PDF.

ReportLab embeds TrueType outlines only (``glyf``), not the PostScript (CFF) outlines of the Noto
Sans CJK OpenType files the subtitle renderer uses. So, in order: the configured subtitle font if
it is TrueType; a TrueType font fontconfig knows for Chinese (e.g. Debian's ``fonts-wqy-zenhei``
or ``fonts-arphic-uming``), found like ``media.render.fonts`` finds its font; else ReportLab's
built-in Adobe CID font ``STSong-Light``, which every PDF reader supplies (not embedded).
"""

from __future__ import annotations

import logging
import subprocess
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

EMBEDDED_NAME = "BeltcastCJK"
CID_FALLBACK = "STSong-Light"
_FC_TIMEOUT_S = 20.0
_PROBE_TEXT = "证书翡翠"


def truetype_candidates() -> list[tuple[Path, int]]:
    """Return (file, face index) of the TrueType fonts fontconfig lists for Chinese."""
    try:
        result = subprocess.run(
            ["fc-list", "--format=%{file}|%{index}|%{fontformat}\n", ":lang=zh"],
            capture_output=True,
            text=True,
            timeout=_FC_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    found: list[tuple[Path, int]] = []
    for line in sorted(result.stdout.splitlines()):
        path, _sep, rest = line.partition("|")
        index, _sep, kind = rest.partition("|")
        if kind.strip() == "TrueType" and index.isdigit():
            found.append((Path(path), int(index)))
    return found


def load_truetype(path: Path, index: int = 0) -> TTFont | None:
    """Load a TrueType font that can draw Chinese, or None if it cannot be embedded."""
    try:
        font = TTFont(EMBEDDED_NAME, str(path), subfontIndex=index)
    except (TTFError, OSError, ValueError) as exc:
        log.debug("certificate font %s unusable: %s", path, exc)
        return None
    charmap = font.face.charToGlyph
    return font if all(ord(char) in charmap for char in _PROBE_TEXT) else None


@lru_cache(maxsize=4)
def certificate_font(configured: str | None = None) -> str:
    """Register the certificate font with ReportLab and return its name."""
    candidates = [(Path(configured), 0)] if configured else []
    for path, index in [*candidates, *truetype_candidates()]:
        font = load_truetype(path, index) if path.is_file() else None
        if font is not None:
            pdfmetrics.registerFont(font)
            return EMBEDDED_NAME
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK
