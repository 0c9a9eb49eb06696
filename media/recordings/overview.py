"""The overview of a whole recording: its loudness over time and a row of thumbnails.

The transcription job computes it once and stores two small files beside the recording's source
file: ``<name>.overview.json`` (the loudness of each window, in dBFS) and ``<name>.overview.jpg``
(a sprite: square thumbnails side by side, each the picture in the middle of an equal share of
the recording, so the row lines up with a timeline of the whole stream). No database rows.

Loudness is read from the 16 kHz WAV the job already extracted. Each thumbnail is the key frame
at or before its time, read after a seek (``-noaccurate_seek``, key frames only), so the cost
hardly grows with the recording's length: one short ffmpeg run per tile.
"""

from __future__ import annotations

import json
import logging
import math
import os
import secrets
import wave
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from media.ffmpeg import FfmpegError, input_file, run_to_file

log = logging.getLogger(__name__)

MAX_WINDOWS = 1000  # loudness values of the whole recording, at most
MIN_WINDOW_S = 1.0
MAX_TILES = 16  # thumbnails of the whole recording, at most
MIN_TILE_S = 10.0  # a recording shorter than two of these gets one thumbnail
TILE_PX = 80
FLOOR_DB = -60.0  # quieter windows are stored as this
TILE_TIMEOUT_S = 60.0
_JSON_SUFFIX = ".overview.json"
_SPRITE_SUFFIX = ".overview.jpg"


@dataclass(frozen=True)
class Overview:
    """A stored overview: loudness per window (dBFS, oldest first) and the sprite's layout."""

    window_s: float
    levels_db: list[float]
    tiles: int
    tile_px: int


def overview_files(source: Path) -> tuple[Path, Path]:
    """Return the overview's JSON file and sprite image beside the source file ``source``."""
    stem = source.with_suffix("")
    return stem.with_name(stem.name + _JSON_SUFFIX), stem.with_name(stem.name + _SPRITE_SUFFIX)


def tile_count(duration_s: float) -> int:
    """Return how many thumbnails a recording of ``duration_s`` seconds gets."""
    return max(1, min(MAX_TILES, math.floor(duration_s / MIN_TILE_S)))


def loudness_levels(wav: Path) -> tuple[float, list[float]]:
    """Return the window length (s) and the RMS level (dBFS) of each window of a mono s16 WAV."""
    with wave.open(str(wav), "rb") as audio:
        rate, frames = audio.getframerate(), audio.getnframes()
        count = max(1, min(MAX_WINDOWS, math.ceil(frames / rate / MIN_WINDOW_S)))
        per_window = max(1, math.ceil(frames / count))
        levels = []
        while chunk := audio.readframes(per_window):
            samples = np.frombuffer(chunk, dtype="<i2").astype(np.float32) / 32768.0
            rms = float(np.sqrt(np.mean(np.square(samples))))
            levels.append(round(max(FLOOR_DB, 20 * math.log10(max(rms, 1e-9))), 1))
    return per_window / rate, levels


def _write_tile(
    source: Path, at_s: float, dest: Path, *, ffmpeg_bin: str, timeout_s: float
) -> None:
    """Write the key frame at or before ``at_s`` as a square JPEG of ``TILE_PX`` pixels."""
    picture = (
        input_file(source, ss=f"{at_s:.3f}", skip_frame="nokey", noaccurate_seek=None, threads=1)
        .video.filter("setpts", "PTS-STARTPTS")  # the key frame is before ``at_s``: keep it
        .filter("scale", TILE_PX, TILE_PX, force_original_aspect_ratio="increase")
        .filter("crop", TILE_PX, TILE_PX)
        .filter("format", "yuvj420p")
    )
    run_to_file(
        [picture],
        dest,
        ffmpeg_bin=ffmpeg_bin,
        duration_s=None,
        timeout_s=timeout_s,
        output_options={"frames:v": 1, "update": 1, "q:v": 3, "f": "image2"},
    )


def _no_job_limit() -> float:
    """Outside a job: each tile's own timeout is the only limit."""
    return TILE_TIMEOUT_S


def write_sprite(
    source: Path,
    dest: Path,
    duration_s: float,
    *,
    ffmpeg_bin: str,
    scratch: Path,
    time_left: Callable[[], float] = _no_job_limit,
) -> int:
    """Write the row of thumbnails of ``source`` to the JPEG ``dest``; return how many.

    One short ffmpeg run per tile (a seek and one key frame: about 80 MB and 0.1 s of CPU on a
    four-hour file, where one run with every tile as an input took 360 MB), then the tiles are
    put side by side. Each run may take ``TILE_TIMEOUT_S`` or what ``time_left()`` says is left
    of the job's time limit, whichever is less.
    """
    tiles = tile_count(duration_s)
    share_s = duration_s / tiles
    sprite = Image.new("RGB", (tiles * TILE_PX, TILE_PX))
    for n in range(tiles):
        tile = scratch / f"overview-tile-{n}.jpg"
        timeout_s = min(TILE_TIMEOUT_S, time_left())
        _write_tile(source, (n + 0.5) * share_s, tile, ffmpeg_bin=ffmpeg_bin, timeout_s=timeout_s)
        with Image.open(tile) as picture:
            sprite.paste(picture.convert("RGB"), (n * TILE_PX, 0))
        tile.unlink()
    temp = dest.with_name(f".{dest.name}.{secrets.token_hex(6)}.part")
    try:
        sprite.save(temp, format="JPEG", quality=80)
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)
    return tiles


def store_overview(
    source: Path,
    audio_wav: Path,
    duration_s: float,
    *,
    ffmpeg_bin: str,
    scratch: Path,
    time_left: Callable[[], float] = _no_job_limit,
) -> None:
    """Compute the overview of the recording ``source`` and store it beside it.

    Raises ``FfmpegError``, ``OSError`` or ``wave.Error`` when it cannot. Each file is written
    under a temporary name and renamed, so a reader never sees half of one. ``time_left`` says
    what is left of the job's time limit (see ``write_sprite``).
    """
    json_path, sprite_path = overview_files(source)
    window_s, levels = loudness_levels(audio_wav)
    tiles = write_sprite(
        source, sprite_path, duration_s, ffmpeg_bin=ffmpeg_bin, scratch=scratch, time_left=time_left
    )
    overview = Overview(window_s=round(window_s, 4), levels_db=levels, tiles=tiles, tile_px=TILE_PX)
    temp = json_path.with_name(f".{json_path.name}.{secrets.token_hex(6)}.part")
    try:
        temp.write_text(json.dumps(asdict(overview), separators=(",", ":")), encoding="utf-8")
        os.replace(temp, json_path)
    finally:
        temp.unlink(missing_ok=True)


def load_overview(source: Path) -> Overview | None:
    """Return the stored overview of the recording ``source``; None if none (or unreadable)."""
    json_path, sprite_path = overview_files(source)
    try:
        stored = json.loads(json_path.read_text(encoding="utf-8"))
        overview = Overview(
            window_s=float(stored["window_s"]),
            levels_db=[float(v) for v in stored["levels_db"]],
            tiles=int(stored["tiles"]),
            tile_px=int(stored["tile_px"]),
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return overview if sprite_path.is_file() and overview.window_s > 0 else None


def remove_overview(source: Path) -> None:
    """Delete the overview files of the recording ``source`` (if any)."""
    for path in overview_files(source):
        path.unlink(missing_ok=True)


def try_store_overview(
    source: Path,
    audio_wav: Path,
    duration_s: float,
    *,
    ffmpeg_bin: str,
    scratch: Path,
    time_left: Callable[[], float] = _no_job_limit,
) -> bool:
    """Store the overview; if it cannot, log why and return False (the transcript goes on).

    ``scratch`` is a folder for the tiles on their way into the sprite (the job's own);
    ``time_left`` what is left of the job's time limit (its passing is not caught here).
    """
    try:
        store_overview(
            source,
            audio_wav,
            duration_s,
            ffmpeg_bin=ffmpeg_bin,
            scratch=scratch,
            time_left=time_left,
        )
    except (FfmpegError, OSError, wave.Error, ValueError) as exc:
        log.warning("no overview for %s: %s", source.name, exc)
        return False
    return True
