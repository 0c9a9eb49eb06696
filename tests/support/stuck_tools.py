"""A stand-in for a tool that hangs: a script that records its pid, then becomes ``sleep``.

Configured as ``FFMPEG_BINARY``, every ffmpeg run of a job starts a real process that never
ends by itself, so only the job's time limit stops it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def tool_folder(tmp_path: Path) -> Path:
    """A folder of this test's own for the stuck tool and the pids it records."""
    folder = tmp_path / "stuck-tool"
    folder.mkdir()
    return folder


def stuck_ffmpeg(folder: Path) -> Path:
    """Write an executable ``ffmpeg`` into ``folder`` that hangs; return its path."""
    script = folder / "ffmpeg"
    pids = folder / "pids"
    script.write_text(f'#!/bin/sh\necho $$ >> "{pids}"\nexec sleep 600\n')
    script.chmod(0o755)
    return script


def started_pids(folder: Path) -> list[int]:
    """Return the pids of the hanging runs started from ``folder``'s script."""
    pids = folder / "pids"
    return [int(line) for line in pids.read_text().split()] if pids.exists() else []


def is_running(pid: int) -> bool:
    """Tell whether process ``pid`` still runs (a zombie, killed but not reaped, counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
