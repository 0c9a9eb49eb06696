"""The hostile upload corpus, generated with ffmpeg, and canaries that notice a file being read.

Playlists and concat lists name three things outside the media root: ``/etc/passwd``, a FIFO
watched by ``Canaries`` (opening it for reading is noticed, without hanging the reader), and an
HTTP URL served by ``Canaries`` on 127.0.0.1 (any request is recorded).
"""

from __future__ import annotations

import contextlib
import errno
import os
import struct
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support.mediagen import (
    make_multi_audio_video,
    make_png_image,
    make_test_video,
    make_truncated_copy,
    run_ffmpeg,
)


class Canaries:
    """A FIFO and an HTTP URL outside the media root; ``hits`` lists every touch of either."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.fifo = folder / "secret-segment.ts"
        os.mkfifo(self.fifo)
        self.hits: list[str] = []
        self._stop = threading.Event()
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(f"http GET {self.path}")
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/leak.ts"
        self._threads = [
            threading.Thread(target=self._server.serve_forever, daemon=True),
            threading.Thread(target=self._watch_fifo, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _watch_fifo(self) -> None:
        """A non-blocking open for writing succeeds only while someone opened it to read."""
        while not self._stop.is_set():
            try:
                descriptor = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
                time.sleep(0.002)
                continue
            if not self.hits or self.hits[-1] != "fifo opened":
                self.hits.append("fifo opened")
            with contextlib.suppress(OSError):
                os.write(descriptor, b"\x47" * 188)
            os.close(descriptor)
            time.sleep(0.02)

    def references(self) -> list[str]:
        """The three outside locations a hostile list points at."""
        return ["file:///etc/passwd", f"file:{self.fifo}", str(self.fifo), self.url]

    def close(self) -> None:
        """Stop the server and the watcher."""
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()


def hls_playlist(references: list[str]) -> bytes:
    """An HLS media playlist whose segments are ``references``."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:10", "#EXT-X-MEDIA-SEQUENCE:0"]
    for reference in references:
        lines += ["#EXTINF:10.0,", reference]
    return ("\n".join([*lines, "#EXT-X-ENDLIST"]) + "\n").encode()


def ffconcat_list(references: list[str]) -> bytes:
    """An ffconcat list naming ``references``."""
    lines = ["ffconcat version 1.0", *(f"file '{r}'" for r in references)]
    return ("\n".join(lines) + "\n").encode()


def _chunk(tag: bytes, data: bytes) -> bytes:
    return tag + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


def _list(kind: bytes, *parts: bytes) -> bytes:
    body = kind + b"".join(parts)
    return b"LIST" + struct.pack("<I", len(body)) + body


def avi_embedding(playlist: bytes) -> bytes:
    """An AVI whose text stream carries ``playlist`` in a GAB2 chunk (as in CVE-2017-9993).

    libav's AVI demuxer probes a GAB2 subtitle packet with every demuxer it has; before the fix
    it would open the HLS playlist found there and follow its segments.
    """
    avih = struct.pack("<14I", 40000, 0, 0, 0x10, 1, 0, 1, 0, 224, 160, 0, 0, 0, 0)
    strh = b"txts" + struct.pack(
        "<4sIHHIIIIIIII4h", b"\0\0\0\0", 0, 0, 0, 0, 1, 25, 0, 1, 0, 0, 0, 0, 0, 224, 160
    )
    strf = struct.pack("<IiiHH4sIiiII", 40, 224, 160, 1, 24, b"XVID", 0, 0, 0, 0, 0)
    title = "x".encode("utf-16-le") + b"\0\0"
    gab2 = b"GAB2\0" + struct.pack("<HI", 2, len(title)) + title
    gab2 += struct.pack("<HI", 4, len(playlist)) + playlist
    header = _list(
        b"hdrl",
        _chunk(b"avih", avih),
        _list(b"strl", _chunk(b"strh", strh), _chunk(b"strf", strf)),
    )
    body = b"AVI " + header + _list(b"movi", _chunk(b"00tx", gab2))
    return b"RIFF" + struct.pack("<I", len(body)) + body


def make_pixel_bomb(path: Path) -> Path:
    """One 8192×8192 frame (a flat colour, so it is small to store) with a tone."""
    run_ffmpeg(
        "-f", "lavfi", "-i", "color=c=green:s=8192x8192:r=1:d=1",
        "-f", "lavfi", "-i", "sine=duration=1",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-shortest", str(path),
    )  # fmt: skip
    return path


def make_day_long(path: Path) -> Path:
    """A 24-hour file of tiny frames: 4 s of 32×32 video whose timestamps are stretched 21600×.

    ``-itsscale`` rescales the input timestamps and ``-c copy`` writes them unchanged, so the
    file is a few kilobytes and a second to make, yet lasts a day (one frame every 6 hours).
    """
    short = make_test_video(path.with_name("day-source.mp4"), seconds=4.0, size="32x32", rate=1)
    run_ffmpeg("-itsscale", "21600", "-i", str(short), "-c", "copy", str(path))
    short.unlink()
    return path


def make_flipped(path: Path, source: Path) -> Path:
    """A copy of ``source`` with 4 KiB in the middle inverted (headers intact, media damaged)."""
    data = bytearray(source.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = bytes(b ^ 0xFF for b in data[middle : middle + 4096])
    path.write_bytes(bytes(data))
    return path


def make_media_corpus(folder: Path) -> dict[str, Path]:
    """Write the binary cases once (they do not depend on the canaries)."""
    folder.mkdir(parents=True, exist_ok=True)
    good = make_test_video(folder / "good.mp4", seconds=3.0)
    faststart = folder / "faststart.mp4"
    run_ffmpeg("-i", str(good), "-c", "copy", "-movflags", "+faststart", str(faststart))
    return {
        "good": good,
        "png": make_png_image(folder / "photo.mp4"),
        "truncated": make_truncated_copy(faststart, folder / "truncated.mp4", keep_fraction=0.5),
        "moov_cut": make_truncated_copy(good, folder / "moov-cut.mp4", keep_fraction=0.9),
        "pixel_bomb": make_pixel_bomb(folder / "pixel-bomb.mp4"),
        "day_long": make_day_long(folder / "day-long.mp4"),
        "audio_40": make_multi_audio_video(folder / "forty.mkv", audio_streams=40),
        "flipped": make_flipped(folder / "flipped.mp4", good),
    }


# case -> how to build its bytes from (media corpus, canaries)
Builder = Callable[[dict[str, Path], Canaries], bytes]

BUILDERS: dict[str, Builder] = {
    "hls_playlist": lambda media, c: hls_playlist(c.references()),
    "hls_with_bom_and_blank_lines": lambda media, c: (
        b"\xef\xbb\xbf\n\n" + hls_playlist(c.references())
    ),
    "avi_embedding_hls": lambda media, c: avi_embedding(hls_playlist(c.references())),
    "ffconcat_list": lambda media, c: ffconcat_list(c.references()),
    "text": lambda media, c: b"Jade prices for today: bangle 1200, pendant 300.\n" * 40,
    "html_with_script": lambda media, c: b"<html><script>alert(1)</script></html>\n" * 20,
    "png_image": lambda media, c: media["png"].read_bytes(),
    "random_bytes": lambda media, c: bytes(range(256)) * 64,
    "mp4_header_only": lambda media, c: media["good"].read_bytes()[:64],
    "truncated_mp4": lambda media, c: media["truncated"].read_bytes(),
    "moov_cut_off": lambda media, c: media["moov_cut"].read_bytes(),
    "pixel_bomb_8192": lambda media, c: media["pixel_bomb"].read_bytes(),
    "day_long_tiny_frames": lambda media, c: media["day_long"].read_bytes(),
    "forty_audio_streams": lambda media, c: media["audio_40"].read_bytes(),
}
