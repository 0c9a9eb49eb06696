"""Run ffmpeg: the one place that locates the binary, builds command lines and starts it.

Command lines are built with ffmpeg-python. Every run reads only local ``file:`` inputs under
``-protocol_whitelist file,pipe``, has no shell and no stdin, is killed after a timeout, reports
progress parsed from ``-progress pipe:1`` and keeps the last lines of stderr for the error message.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ffmpeg

ProgressCallback = Callable[[float], None]

PROTOCOL_WHITELIST = "file,pipe"
DEFAULT_TIMEOUT_S = 3600.0
STDERR_TAIL_LINES = 40
GLOBAL_ARGS = (
    "-nostdin",
    "-hide_banner",
    "-loglevel",
    "warning",
    "-nostats",
    "-progress",
    "pipe:1",
    "-n",
)
_PROGRESS_TIME_KEYS = ("out_time_us", "out_time_ms")  # both are microseconds in ffmpeg


class FfmpegError(Exception):
    """ffmpeg failed or timed out; ``stderr_tail`` holds its last lines of stderr."""

    def __init__(self, message: str, stderr_tail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.stderr_tail = stderr_tail

    def __str__(self) -> str:
        if not self.stderr_tail:
            return self.message
        return f"{self.message}\n{self.stderr_tail}"


@dataclass(frozen=True)
class FfmpegRun:
    """What a finished ffmpeg run left behind (some filters report results on stderr)."""

    args: list[str]
    stderr_tail: str


def find_ffmpeg(configured: str | None) -> str:
    """Return the ffmpeg binary: ``configured``, else ``ffmpeg`` on PATH, else imageio-ffmpeg's.

    A configured binary that cannot be found raises ``FileNotFoundError`` rather than silently
    falling back, so an operator's typo is noticed at start-up.
    """
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise FileNotFoundError(f"configured ffmpeg binary not found: {configured}")
        return found
    on_path = shutil.which("ffmpeg")
    if on_path:
        return on_path
    import imageio_ffmpeg  # deferred: only needed where no system ffmpeg exists

    return imageio_ffmpeg.get_ffmpeg_exe()


def input_file(path: Path, **options: Any) -> ffmpeg.nodes.FilterableStream:
    """Return an ffmpeg-python input node reading the local file ``path``."""
    return ffmpeg.input(f"file:{Path(path).resolve()}", **options)


def build_command(output: ffmpeg.nodes.OutputStream, ffmpeg_bin: str) -> list[str]:
    """Compile ``output`` into an argument list with the global and safety options.

    Every input must be a ``file:`` URL; ``-protocol_whitelist`` is added before each ``-i``
    that does not already carry one.
    """
    compiled = ffmpeg.compile(output, cmd=ffmpeg_bin)
    return [compiled[0], *GLOBAL_ARGS, *_guard_inputs(compiled[1:])]


def _guard_inputs(args: Sequence[str]) -> list[str]:
    """Insert the protocol whitelist before every input; refuse non-``file:`` inputs."""
    guarded: list[str] = []
    has_whitelist = False
    for index, arg in enumerate(args):
        if arg == "-protocol_whitelist":
            has_whitelist = True
        elif arg == "-i":
            target = args[index + 1] if index + 1 < len(args) else ""
            if not target.startswith("file:"):
                raise ValueError(f"ffmpeg inputs must be file: URLs, got {target!r}")
            if not has_whitelist:
                guarded += ["-protocol_whitelist", PROTOCOL_WHITELIST]
            has_whitelist = False
        guarded.append(arg)
    return guarded


def run(
    output: ffmpeg.nodes.OutputStream,
    *,
    ffmpeg_bin: str,
    duration_s: float | None,
    on_progress: ProgressCallback | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    tail_lines: int = STDERR_TAIL_LINES,
) -> FfmpegRun:
    """Run the ffmpeg graph ending in ``output``; raise ``FfmpegError`` on failure or timeout.

    ``duration_s`` is the expected output duration, used to turn ffmpeg's output time into the
    fraction passed to ``on_progress`` (called in this thread, never decreasing, ending at 1.0).
    An exception raised by ``on_progress`` stops ffmpeg and propagates, so callers can cancel.
    ``tail_lines``: how many of stderr's last lines to keep (filters that report many results).
    """
    args = build_command(output, ffmpeg_bin)
    try:
        proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise FfmpegError(f"cannot start ffmpeg ({ffmpeg_bin}): {exc}") from exc
    tail: deque[str] = deque(maxlen=tail_lines)
    reader = threading.Thread(target=_collect_lines, args=(proc.stderr, tail), daemon=True)
    reader.start()
    timed_out = threading.Event()
    watchdog = threading.Timer(timeout_s, _kill_on_timeout, args=(proc, timed_out))
    watchdog.start()
    try:
        reported = _follow_progress(proc.stdout, duration_s, on_progress)
        returncode = proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        watchdog.cancel()
        reader.join(timeout=10)
    stderr_tail = "\n".join(tail)
    if timed_out.is_set():
        raise FfmpegError(f"ffmpeg timed out after {timeout_s:g} s", stderr_tail)
    if returncode != 0:
        raise FfmpegError(f"ffmpeg failed with exit status {returncode}", stderr_tail)
    if on_progress is not None and reported < 1.0:
        on_progress(1.0)
    return FfmpegRun(args=args, stderr_tail=stderr_tail)


def run_to_file(
    streams: Iterable[ffmpeg.nodes.Stream],
    dest: Path,
    *,
    ffmpeg_bin: str,
    duration_s: float | None,
    output_options: Mapping[str, Any] | None = None,
    on_progress: ProgressCallback | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> FfmpegRun:
    """Write ``streams`` to ``dest`` atomically: a temporary name beside it, renamed on success.

    ``output_options`` are ffmpeg-python output keyword arguments (``acodec``, ``ar``, ``vf`` ...).
    On any failure the temporary file is removed and ``dest`` is left untouched.
    """
    dest = Path(dest)
    temp = dest.with_name(f".{dest.stem}.{secrets.token_hex(6)}.part{dest.suffix}")
    output = ffmpeg.output(*streams, f"file:{temp.resolve()}", **dict(output_options or {}))
    try:
        result = run(
            output,
            ffmpeg_bin=ffmpeg_bin,
            duration_s=duration_s,
            on_progress=on_progress,
            timeout_s=timeout_s,
        )
        if not temp.is_file():
            raise FfmpegError("ffmpeg finished but wrote no output", result.stderr_tail)
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)
    return result


def extract_audio(
    source: Path,
    dest_wav: Path,
    *,
    ffmpeg_bin: str,
    duration_s: float | None,
    on_progress: ProgressCallback | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> Path:
    """Write the first audio stream of ``source`` to ``dest_wav`` as 16 kHz mono PCM s16 WAV."""
    audio = input_file(source)["a:0"]
    options = {"acodec": "pcm_s16le", "ac": 1, "ar": 16000, "f": "wav", "map_metadata": -1}
    run_to_file(
        [audio],
        dest_wav,
        ffmpeg_bin=ffmpeg_bin,
        duration_s=duration_s,
        output_options=options,
        on_progress=on_progress,
        timeout_s=timeout_s,
    )
    return Path(dest_wav)


def _follow_progress(
    stdout: IO[bytes] | None, duration_s: float | None, on_progress: ProgressCallback | None
) -> float:
    """Read ``-progress`` key=value blocks, report the done fraction; return the last reported.

    The final 1.0 is left to the caller, which reports it only once ffmpeg has succeeded.
    """
    out_time_s = 0.0
    reported = 0.0
    if stdout is None:
        return reported
    for raw in stdout:
        key, _, value = raw.decode("utf-8", "replace").strip().partition("=")
        if key in _PROGRESS_TIME_KEYS:
            with contextlib.suppress(ValueError):  # "N/A" before the first frame
                out_time_s = max(out_time_s, int(value) / 1_000_000)
        elif key == "progress" and value == "continue" and on_progress and duration_s:
            fraction = min(out_time_s / duration_s, 0.999)
            if fraction > reported:
                reported = fraction
                on_progress(fraction)
    return reported


def _collect_lines(stream: IO[bytes] | None, tail: deque[str]) -> None:
    """Keep the last lines of ``stream`` in ``tail`` until it closes."""
    if stream is None:
        return
    for raw in stream:
        line = raw.decode("utf-8", "replace").rstrip()
        if line:
            tail.append(line)


def _kill_on_timeout(proc: subprocess.Popen[bytes], timed_out: threading.Event) -> None:
    """Kill ``proc`` if it is still running and remember that the timeout fired."""
    if proc.poll() is None:
        timed_out.set()
        proc.kill()
