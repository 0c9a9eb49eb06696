"""CSV cells for spreadsheets: formula-like text quoted on writing, given back on reading."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portal.spreadsheets import csv_text, neutralise_cell, read_csv, restore_cell


def test_numbers_the_application_writes_stay_numbers_and_only_text_is_quoted():
    text = csv_text(["amount"], [[Decimal("-5.00"), -5, -1.5, "-5", "=1+1"]])

    assert text == "\ufeffamount\r\n-5.00,-5,-1.5,'-5,'=1+1\r\n"


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "'=1", "''+1", "'", "'text", "text", "", "a=1"],
)
def test_every_text_reads_back_as_written(text):
    assert restore_cell(neutralise_cell(text)) == text
    assert list(read_csv(csv_text(["h"], [[text]]).lstrip("\ufeff"))) == [["h"], [text]]
