"""Traditional → Simplified Chinese: OpenCC's ``t2s`` conversion, built once for the process.

Transcription (recognised text and hotwords), mention matching, search and the compliance check
all convert through ``to_simplified``, so they agree on every character. The converter is the
official OpenCC library (C++, PyPI ``opencc``); docs/benchmarks.md compares it with the
pure-Python reimplementation used before.
"""

from __future__ import annotations

from opencc import OpenCC

_T2S = OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Return ``text`` with its Traditional Chinese characters and phrases in Simplified."""
    return _T2S.convert(text)
