"""Times as people read and type them: ``m:ss.s`` (``h:mm:ss.s`` from an hour on).

One formatter (the ``timecode`` Jinja filter), one parser and the form field built on them, for
every point in a recording or clip a person sees or enters (trim points, sentence and subtitle
times, poster frame). Machine formats (SRT, WebVTT, ASS) have writers of their own.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import StopValidation

# 73.2 (plain seconds, as before), 1:13.2, 1:13, 1:02:03.5; a Chinese keyboard's full-width
# colon and full stop count.
_TIMECODE = re.compile(r"(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d*)?|\.\d+)")


UNREADABLE = _l("Write the time as minutes:seconds, e.g. 1:13.2 (or 73.2 seconds).")


def format_timecode(seconds: float | None) -> str:
    """Format seconds as ``m:ss.s`` or ``h:mm:ss.s`` (rounded to a tenth); None shows a dash."""
    if seconds is None:
        return "—"
    tenths = round(max(0.0, float(seconds)) * 10)
    whole, tenth = divmod(tenths, 10)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}.{tenth}"
    return f"{minutes}:{secs:02d}.{tenth}"


def parse_timecode(text: str) -> float | None:
    """Read ``m:ss.s``, ``h:mm:ss.s`` or plain seconds; None when ``text`` is not such a time.

    With a colon, seconds stay under 60, and minutes too when hours are given.
    """
    cleaned = text.strip().replace("：", ":").replace("。", ".")
    found = _TIMECODE.fullmatch(cleaned)
    if found is None:
        return None
    hours, minutes, secs = found.groups()
    value = float(secs)
    if (minutes is not None and value >= 60) or (hours is not None and int(minutes) >= 60):
        return None
    return round(int(hours or 0) * 3600 + int(minutes or 0) * 60 + value, 3)


class TimecodeField(StringField):
    """A time typed as ``m:ss.s`` (or seconds); ``data`` is seconds, shown back as ``m:ss.s``."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        render_kw = {"autocomplete": "off", "placeholder": "1:13.2", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the typed time (None when empty or unreadable; ``pre_validate`` says which)."""
        self.raw_data = valuelist
        self.data = parse_timecode(self._typed()) if self._typed() else None

    def pre_validate(self, form: Any) -> None:
        """Stop at an unreadable time with one clear message (no range error after it)."""
        if self._typed() and self.data is None:
            raise StopValidation(str(UNREADABLE))

    def _typed(self) -> str:
        return str(self.raw_data[0] or "").strip() if self.raw_data else ""

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return format_timecode(self.data) if self.data is not None else ""
