"""Find the CJK font subtitles are drawn with: Noto Sans CJK SC (Simplified shapes, SIL OFL 1.1).

In order: a configured font file; fontconfig's bold "Noto Sans CJK SC" (Debian's
``fonts-noto-cjk``, which the Makefile installs); the Noto Sans CJK collection shipped by the PyPI
package ``noto-cjk-sans-otc`` (Regular weight, licensed OFL-1.1 in its metadata and in the font's
own licence name; the file is byte-identical to Debian's ``NotoSansCJK-Regular.ttc``), so a plain
``pip install`` still draws Chinese. From a collection the Simplified Chinese face is chosen.
libass is given the font's directory (``fontsdir``) and the ASS style names the face's family.

The family is read with ``fontTools`` the way libass reads a font it loads from ``fontsdir``: the
Windows-platform family name (name ID 1), not the typographic family (ID 16) that fontconfig and
FreeType report (they differ for some fonts, e.g. "Noto Sans CJK TC Bold" against "Noto Sans CJK
TC" in a single-weight OTF), and libass finds no font by the latter when fontconfig does not know
the file. The face's ascent and descent are read too, because libass sizes text by them.
"""

from __future__ import annotations

import importlib.resources
import subprocess
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont, TTLibError
from fontTools.ttLib.tables._n_a_m_e import table__n_a_m_e

PREFERRED_FAMILY = "Noto Sans CJK SC"
PACKAGED_FONT_MODULE = "noto_cjk_sans_otc"
_FONT_SUFFIXES = (".otf", ".ttf", ".ttc", ".otc")
_MAX_FACES = 32
_FC_MATCH_TIMEOUT_S = 20.0
_WINDOWS_PLATFORM = 3
_FAMILY_NAME_ID = 1
_US_ENGLISH = 0x409


class FontNotFoundError(Exception):
    """No usable CJK subtitle font was found; the message says how to provide one."""


@dataclass(frozen=True)
class SubtitleFont:
    """A font for libass: the family name the ASS style uses and the file that holds it."""

    font_name: str
    font_file: Path
    fontsize_per_em: float = 1.448  # libass's size unit over the em (Noto Sans CJK SC)

    @property
    def fonts_dir(self) -> Path:
        """Return the directory holding the font (libass's ``fontsdir``)."""
        return self.font_file.parent


def find_subtitle_font(configured: Path | str | None = None) -> SubtitleFont:
    """Return the CJK subtitle font: ``configured`` file, else fontconfig's, else the packaged one.

    A configured file that is missing or unreadable raises ``FontNotFoundError`` instead of
    falling back, so an operator's mistake is noticed.
    """
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FontNotFoundError(f"The configured subtitle font file does not exist: {path}")
        return font_from_file(path)
    found = _from_fontconfig() or _from_package()
    if found is None:
        raise FontNotFoundError(
            "No CJK font for subtitles was found. Install Debian's fonts-noto-cjk, or the PyPI "
            "package noto-cjk-sans-otc, or configure a font file (.otf/.ttf/.ttc)."
        )
    return found


def font_from_file(path: Path, index: int | None = None) -> SubtitleFont:
    """Describe face ``index`` of the font file ``path``; by default its Simplified Chinese face."""
    try:
        faces = read_faces(path)
    except (OSError, ValueError, TTLibError) as exc:
        raise FontNotFoundError(f"The subtitle font file cannot be read as a font: {path}") from exc
    if index is not None and 0 <= index < len(faces):
        chosen = faces[index]
    else:
        preferred = [face for face in faces if face.family.startswith(PREFERRED_FAMILY)]
        simplified = [face for face in faces if " SC" in face.family and "Mono" not in face.family]
        chosen = (preferred or simplified or faces)[0]
    return SubtitleFont(
        font_name=chosen.family, font_file=Path(path), fontsize_per_em=chosen.fontsize_per_em
    )


@dataclass(frozen=True)
class FaceInfo:
    """What libass reads from one face of a font file."""

    family: str
    fontsize_per_em: float


def read_faces(path: Path) -> list[FaceInfo]:
    """Read each face's Windows family name and (win ascent + win descent) / units per em."""
    with Path(path).open("rb") as handle:
        collection = handle.read(4) == b"ttcf"
    if collection:
        with TTCollection(path, lazy=True) as fonts:
            faces = [_face_info(font) for font in fonts.fonts[:_MAX_FACES]]
    else:
        with TTFont(path, lazy=True) as font:
            faces = [_face_info(font)]
    found = [face for face in faces if face is not None]
    if not found:
        raise ValueError("no face with a family name")
    return found


def _face_info(font: TTFont) -> FaceInfo | None:
    """Describe one face, or ``None`` if it has no family name or em size."""
    if "name" not in font or "head" not in font:
        return None
    family = _family_name(font["name"])
    units_per_em = font["head"].unitsPerEm
    height = 0
    if "OS/2" in font:
        height = font["OS/2"].usWinAscent + font["OS/2"].usWinDescent
    if not family or units_per_em <= 0:
        return None
    return FaceInfo(family=family, fontsize_per_em=(height or units_per_em) / units_per_em)


def _family_name(table: table__n_a_m_e) -> str:
    """Return the Windows-platform family name (ID 1), US English first, from a name table."""
    names = [
        (record.langID != _US_ENGLISH, record.toUnicode(errors="replace"))
        for record in table.names
        if record.platformID == _WINDOWS_PLATFORM and record.nameID == _FAMILY_NAME_ID
    ]
    return min(names)[1].strip() if names else ""


def _from_fontconfig() -> SubtitleFont | None:
    """Ask fontconfig for the bold "Noto Sans CJK SC"; ``None`` if it has no such family."""
    try:
        result = subprocess.run(
            [
                "fc-match",
                "--format=%{family}\n%{file}\n%{index}\n",
                f"{PREFERRED_FAMILY}:weight=bold",
            ],
            capture_output=True,
            text=True,
            timeout=_FC_MATCH_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None  # no fontconfig on this host: fall back to the packaged font
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) < 3 or not lines[2].isdigit():
        return None
    families = [name.strip() for name in lines[0].split(",")]
    path = Path(lines[1])
    # fc-match always answers with its closest font; only the family asked for will do.
    if PREFERRED_FAMILY not in families or not path.is_file():
        return None
    return font_from_file(path, int(lines[2]))


def _from_package() -> SubtitleFont | None:
    """Return the font shipped by the PyPI package, if it is installed."""
    try:
        folder = importlib.resources.files(PACKAGED_FONT_MODULE)
    except ModuleNotFoundError:
        return None
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.lower().endswith(_FONT_SUFFIXES):
            return font_from_file(Path(str(entry)))
    return None
