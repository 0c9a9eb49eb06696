"""One time format for people: m:ss.s, h:mm:ss.s beyond an hour; plain seconds still typed."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from portal.timecodes import TimecodeField, format_timecode, parse_timecode


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0:00.0"),
        (4.94, "0:04.9"),
        (73.2, "1:13.2"),
        (59.96, "1:00.0"),
        (754.06, "12:34.1"),
        (3600, "1:00:00.0"),
        (3723.46, "1:02:03.5"),
        (None, "—"),
    ],
)
def test_format_timecode_shows_minutes_seconds_and_tenths(seconds, shown):
    assert format_timecode(seconds) == shown


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("73.2", 73.2),
        ("1:13.2", 73.2),
        ("1:13", 73.0),
        (" 1：13.2 ", 73.2),
        ("0:04.9", 4.9),
        ("125:00", 7500.0),
        ("1:02:03.5", 3723.5),
        ("1:13。5", 73.5),
        ("1:60", None),
        ("1:61:00", None),
        ("-3", None),
        ("1:2:3:4", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_timecode_reads_clock_times_and_plain_seconds(typed, seconds):
    assert parse_timecode(typed) == seconds


def test_every_formatted_time_parses_back():
    for seconds in (0.0, 9.9, 61.5, 3599.9, 3600.1, 7384.2):
        assert parse_timecode(format_timecode(seconds)) == seconds


def _field(app, typed):
    from flask_wtf import FlaskForm
    from wtforms.validators import InputRequired, NumberRange

    class Form(FlaskForm):
        class Meta:
            csrf = False

        at = TimecodeField("At", validators=[InputRequired(), NumberRange(min=0)])

    with app.test_request_context():
        form = Form(formdata=MultiDict({"at": typed}))
        return form.validate(), form.at


def test_timecode_field_gives_seconds_and_shows_them_back(app):
    valid, field = _field(app, "1:13.2")
    assert valid
    assert field.data == 73.2


def test_timecode_field_names_the_format_once_for_an_unreadable_time(app):
    valid, field = _field(app, "1:75")
    assert not valid
    assert len(field.errors) == 1
    assert "1:13.2" in str(field.errors[0])
    assert field._value() == "1:75"  # what was typed stays to be corrected
