"""Read back the text a ReportLab PDF draws with an embedded TrueType font (no PDF library).

ReportLab writes each string as ``(...) Tj`` in the page's content stream, in codes of a font
subset, and gives each subset a ToUnicode map from code to character; a character the font has no
glyph for is drawn as code 0 (an empty box), which the map turns into U+0000.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterator

_STREAM = re.compile(rb"<<((?:(?!>>).)*)>>\s*stream\r?\n", re.DOTALL)
_TO_UNICODE = re.compile(rb"<([0-9A-F]{2})> <([0-9A-F]{4})>")
_DRAWN = re.compile(rb"\(((?:\\.|[^\\)])*)\) Tj", re.DOTALL)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _streams(pdf: bytes) -> Iterator[bytes]:
    for match in _STREAM.finditer(pdf):
        length = int(re.search(rb"/Length (\d+)", match.group(1)).group(1))
        data, filters = pdf[match.end() : match.end() + length], match.group(1)
        if b"/ASCII85Decode" in filters:
            data = base64.a85decode(data.strip().removesuffix(b"~>"))
        yield zlib.decompress(data) if b"/FlateDecode" in filters else data


def _unescape(literal: bytes) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return _ESCAPED.get(code, code)

    return _ESCAPE.sub(replace, literal)


def drawn_texts(pdf: bytes) -> list[str]:
    """Return every string the PDF draws, decoded through its font's ToUnicode map."""
    streams = list(_streams(pdf))
    maps = [s for s in streams if b"beginbfchar" in s]
    assert len(maps) == 1, "expected one font subset (fewer than 256 different characters)"
    to_unicode = {int(c, 16): chr(int(u, 16)) for c, u in _TO_UNICODE.findall(maps[0])}
    return [
        "".join(to_unicode.get(code, "\ufffd") for code in _unescape(literal))
        for stream in streams
        if b" Tf" in stream
        for literal in _DRAWN.findall(stream)
    ]
