"""The Chinese catalog is complete and safe, and covers every UI string in the code.

Chinese is the main interface language, so a string added to the code without a
zh_CN translation fails here. To fix such a failure, refresh the catalogs::

    make extract-messages

then translate the new entries in portal/translations/zh_Hans_CN/LC_MESSAGES/messages.po
(drop any ``#, fuzzy`` flag once the translation is right) and run ``make translations``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "portal" / "translations"
ZH_CATALOG_PATH = "portal/translations/zh_Hans_CN/LC_MESSAGES/messages.po"
ZH_CATALOG = ROOT / ZH_CATALOG_PATH
# The same input as `make extract-messages`:
#   pybabel extract -F babel.cfg -k _l -o instance/messages.pot portal courses media
MAPPING = ROOT / "babel.cfg"
SOURCE_DIRS = ("portal", "courses", "media")
KEYWORDS = {**DEFAULT_KEYWORDS, **parse_keywords(["_l"])}

# A named %-placeholder such as %(name)s, %(count)d or %(price).2f.
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
# A positional one such as %s or %d (checked once "%%" is taken out).
POSITIONAL = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


@cache
def zh_catalog() -> Catalog:
    """Return the parsed zh_CN catalog."""
    with ZH_CATALOG.open("rb") as po:
        return read_po(po, locale="zh_CN")


@cache
def code_messages() -> dict[str, list[str]]:
    """Return each msgid used in the code with the places (``path:line``) that use it."""
    with MAPPING.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(MAPPING))
    found: dict[str, list[str]] = {}
    for folder in SOURCE_DIRS:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT / folder), method_map, options_map, keywords=KEYWORDS
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault(msgid, []).append(f"{folder}/{filename}:{lineno}")
    return found


def forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    """Return a msgid or msgstr as a list of its (plural) forms."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def translated_messages() -> list[Message]:
    """Return every entry of the zh_CN catalog except the header."""
    return [message for message in zh_catalog() if message.id]


def placeholder_problems(message: Message) -> list[str]:
    """Return what is wrong with the %-placeholders of one translation."""
    expected = {name for text in forms(message.id) for name in PLACEHOLDER.findall(text)}
    values = dict.fromkeys(expected, 1)
    # Strings with placeholders, and every template string, go through "%" at run time.
    formatted = (
        bool(expected) or any(path.endswith(".html") for path, _line in message.locations)
    ) and _formats(forms(message.id)[0], values)
    problems = []
    for text in forms(message.string):
        used = set(PLACEHOLDER.findall(text))
        if missing := expected - used:
            problems.append(f"lacks {', '.join(sorted(f'%({n})s' for n in missing))}")
        if unknown := used - expected:
            problems.append(f"has unknown {', '.join(sorted(f'%({n})s' for n in unknown))}")
        if _positional(text) != _positional(forms(message.id)[0]):
            problems.append("has other positional placeholders (%s, %d ...) than the msgid")
        if formatted and not missing and not unknown and not _formats(text, values):
            problems.append("is not a valid %-format string (write a literal % as %%)")
    return problems


def _positional(text: str) -> list[str]:
    return POSITIONAL.findall(text.replace("%%", ""))


def _formats(text: str, values: dict[str, int]) -> bool:
    try:
        text % values  # raises on a stray "%" or a wrong placeholder
    except (KeyError, ValueError, TypeError):
        return False
    return True


def describe(message: Message) -> str:
    """Return one readable line naming a catalog entry."""
    return repr(forms(message.id)[0])


def test_every_zh_cn_message_is_translated() -> None:
    """No zh_CN entry is left empty or fuzzy (`make` compiles fuzzy entries too)."""
    problems = []
    for message in translated_messages():
        if message.fuzzy:
            problems.append(f"fuzzy: {describe(message)}")
        elif not forms(message.string) or not all(text.strip() for text in forms(message.string)):
            problems.append(f"untranslated: {describe(message)}")
    assert not problems, f"{len(problems)} zh_CN messages need work:\n" + "\n".join(problems)


def test_zh_cn_placeholders_match_the_msgid() -> None:
    """Every %(placeholder)s of a msgid appears in its msgstr, and no other one does."""
    problems = [
        f"{describe(message)}: msgstr {problem}"
        for message in translated_messages()
        for problem in placeholder_problems(message)
    ]
    problems += [
        f"{describe(message)}: {error}"
        for message, errors in zh_catalog().check()
        for error in errors
    ]
    assert not problems, "zh_CN placeholder errors:\n" + "\n".join(problems)


def test_zh_cn_plural_forms_are_complete() -> None:
    """Plural entries have exactly as many msgstr forms as zh_CN has plural forms."""
    catalog = zh_catalog()
    problems = [
        f"{describe(message)}: {len(forms(message.string))} forms, expected {catalog.num_plurals}"
        for message in translated_messages()
        if message.pluralizable and len(forms(message.string)) != catalog.num_plurals
    ]
    assert not problems, "zh_CN plural forms:\n" + "\n".join(problems)


def test_every_code_string_is_in_the_zh_cn_catalog() -> None:
    """Each msgid the code uses (Python and templates) has an entry in the zh_CN catalog."""
    catalog = zh_catalog()
    missing = [
        f"{msgid!r}  ({', '.join(places)})"
        for msgid, places in sorted(code_messages().items())
        if catalog.get(msgid) is None
    ]
    assert not missing, (
        f"{len(missing)} strings in the code are missing from {ZH_CATALOG_PATH}; "
        "run `make extract-messages` and translate them:\n" + "\n".join(missing)
    )


def test_extraction_finds_the_ui_strings() -> None:
    """The extraction config still reaches Python files and templates (a guard on babel.cfg)."""
    places = [place for found in code_messages().values() for place in found]
    assert any(place.split(":")[0].endswith(".py") for place in places)
    assert any(place.split(":")[0].endswith(".html") for place in places)


def test_flask_babel_finds_the_zh_cn_catalog(tmp_path: Path) -> None:
    """The catalogs, compiled, are found the way Flask-Babel looks them up for ``zh_CN``.

    Flask-Babel loads ``Translations.load(directory, [Locale.parse(selected_locale)])``,
    and gettext then tries the directories ``zh_Hans_CN`` and ``zh``, not ``zh_CN``.
    """
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po:
            catalog = read_po(po)
        mo_path = tmp_path / po_path.relative_to(TRANSLATIONS).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True)
        with mo_path.open("wb") as mo:
            write_mo(mo, catalog)
    translations = Translations.load(str(tmp_path), [Locale.parse("zh_CN")])
    assert translations.gettext("Sign in") == zh_catalog()["Sign in"].string
