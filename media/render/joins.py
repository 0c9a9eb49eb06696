"""Join a clip's kept ranges: frame-accurate trims of the picture, crossfaded sound.

The ranges are seconds from the cut's start (the input is read from the first range's start to
the last one's end). The picture's ranges are trimmed on decoded frames and concatenated. Each
join of the sound is a ``CROSSFADE_S`` crossfade centred on the cut: both sides are read half a
crossfade past it, so the sound stays exactly as long as the picture and in step with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import ffmpeg

from media.ffmpeg import input_file

CROSSFADE_S = 0.04
Ranges = Sequence[tuple[float, float]]


def joined_video(
    video: ffmpeg.nodes.FilterableStream, ranges: Ranges
) -> ffmpeg.nodes.FilterableStream:
    """Return ``video``'s frames inside ``ranges``, one range after another (as is if < 2)."""
    if len(ranges) < 2:
        return video
    copies = video.filter_multi_output("split", len(ranges))
    pieces = [
        copies[n].trim(start=start, end=end).setpts("PTS-STARTPTS")
        for n, (start, end) in enumerate(ranges)
    ]
    return ffmpeg.concat(*pieces, v=1, a=0)


def joined_audio(
    audio: ffmpeg.nodes.FilterableStream, ranges: Ranges
) -> ffmpeg.nodes.FilterableStream:
    """Return ``audio`` inside ``ranges``, crossfaded at each join (as is if < 2 ranges)."""
    if len(ranges) < 2:
        return audio
    half, last = CROSSFADE_S / 2, len(ranges) - 1
    copies = audio.filter_multi_output("asplit", len(ranges))
    pieces = [
        copies[n]
        .filter("atrim", start=start - half if n else start, end=end + half if n < last else end)
        .filter("asetpts", "PTS-STARTPTS")
        for n, (start, end) in enumerate(ranges)
    ]
    joined = pieces[0]
    for piece in pieces[1:]:
        joined = ffmpeg.filter([joined, piece], "acrossfade", d=CROSSFADE_S)
    return joined


def source_audio(
    source: Path, in_s: float, duration_s: float, ranges: Ranges = ()
) -> ffmpeg.nodes.FilterableStream:
    """The sound of the cut from ``in_s``: ``duration_s`` of it, or its ``ranges`` joined."""
    span_s = ranges[-1][1] if ranges else duration_s
    return joined_audio(input_file(source, ss=in_s, t=span_s).audio, ranges)
