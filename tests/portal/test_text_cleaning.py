"""Invisible characters taken out of user text: which go, which stay."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from portal.text_cleaning import clean_line, clean_text, isolate_bidi

# Each kind of invisible character the portal takes out of published and printed text.
INVISIBLE = {
    "bidi override": "\u202a\u202b\u202c\u202d\u202e",
    "bidi isolate": "\u2066\u2067\u2068\u2069",
    "zero width": "\u200b\u200c\u200d\u2060\ufeff",
    "other format": "\u00ad\u200e\u200f\u061c\u2061\u2064\u206a\ufff9\U000e0041\U000e007f",
    "C0 control": "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f",
    "C1 control": "\x80\x85\x9b\x9f",
}


@pytest.mark.parametrize("kind", INVISIBLE)
def test_every_invisible_character_is_taken_out(kind):
    text = "冰种" + "".join(f"{char}翡{char}" for char in INVISIBLE[kind]) + "手镯"

    assert clean_line(text) == "冰种" + "翡" * len(INVISIBLE[kind]) + "手镯"
    assert clean_text(text) == clean_line(text)


def test_line_breaks_and_tabs_become_spaces_in_one_line_text():
    assert clean_line("冰种\r\n翡翠\r手镯\n项链\t吊坠\u2028戒指\u2029耳环") == (
        "冰种 翡翠 手镯 项链 吊坠 戒指 耳环"
    )


def test_multi_line_text_keeps_its_lines_and_tabs():
    assert clean_text("第一行\r\n第二行\r第三\t行\u2028第四行\u2029\u200b第五行") == (
        "第一行\n第二行\n第三\t行\n第四行\n第五行"
    )


@pytest.mark.parametrize(
    "emoji",
    [
        "\U0001f469\u200d\U0001f4bb",  # woman technologist
        "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag (variation selector before the joiner)
        "\U0001f469\U0001f3fd\u200d\U0001f4bb",  # with a skin tone
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family
        "\u2764\ufe0f\u200d\U0001f525",  # heart on fire
    ],
)
def test_joiner_inside_an_emoji_stays(emoji):
    assert clean_line(f"好看{emoji}手镯") == f"好看{emoji}手镯"


@pytest.mark.parametrize(
    "text", ["加\u200d微信", "\u200d\U0001f4bb", "\U0001f469\u200d", "a\u200db"]
)
def test_joiner_outside_an_emoji_goes(text):
    assert "\u200d" not in clean_line(text)


def test_visible_text_spaces_and_variation_selectors_stay():
    text = "翡翠\u3000手镯 NGTC\u00a0证书 \u2764\ufe0f 葛\U000e0100"
    assert clean_line(text) == text
    assert clean_text(text) == text


def test_page_isolates_a_stored_direction_override_and_leaves_other_values_alone(
    client_as, make_user
) -> None:
    assert isolate_bidi("翡翠手镯") == "翡翠手镯"
    assert isolate_bidi(7) == 7
    user = make_user(Role.STREAMER, name="Mallory\u202egnp.exe")
    html = client_as(user).get("/auth/account").text
    assert "\u2068Mallory\u202egnp.exe\u2069" in html
    assert html.count("\u202e") == html.count("\u2068Mallory\u202egnp.exe\u2069")
