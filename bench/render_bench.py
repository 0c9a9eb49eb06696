"""Benchmark: clip render speed per profile, as render time ÷ clip length.

Builds a 1280×720 30 fps test recording with espeak-ng speech (x264 veryfast, a keyframe every
2 s, like a live-stream recording), then renders a 60 s clip with Beltcast's renderer in each
profile, with an edited transcript of Chinese and English cues burned in and loudness normalised
to -16 LUFS, once more dressed as a merchant's render is (the "bold" subtitle template with item
names highlighted, a hook line, a logo and a product card over two stretches; #18), and finally
as a plain cut (stream copy).

For each it prints the wall time ÷ clip length (best and median of ``--repeat`` runs), the CPU
seconds ffmpeg used per clip second, and how many cores other processes kept busy meanwhile:
other work on a shared machine inflates wall times, so only runs on a quiet host count.
Target on the 2-core reference machine: vertical blur with subtitles and loudnorm ≤ 0.20.

    .venv/bin/python -m bench.render_bench [--repeat 3] [--seconds 60] [--ffmpeg PATH]
                                            [--preset P] [--only TEXT] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from media.ffmpeg import find_ffmpeg
from media.render import RenderSpec, render_clip
from media.render.loudness import measure_integrated_lufs
from media.render.renderer import X264_PRESET
from media.render.styles import Decor, ProductCard
from tests.support.mediagen import make_speech_video

CUE_TEXTS = (
    "欢迎回到翡翠直播间，今天给大家看几件好货",
    "这只冰种翡翠手镯水头很足，种老色正",
    "Look at the light passing through the bangle",
    "圈口五十六毫米，适合大部分人佩戴",
    "每一件都附有国家珠宝玉石质量监督检验中心的证书",
    "Next is a white Hetian jade pendant carved as a small gourd",
    "独山玉摆件，山水意境，雕工非常细",
    "喜欢的朋友可以在评论区留言，我们两天内发货",
)


@dataclass(frozen=True)
class Case:
    """One benchmarked render."""

    name: str
    profile: str
    fill: str = "blur"
    processed: bool = True  # subtitles burned and loudness normalised
    styled: bool = False  # a template, highlights, hook, logo and product card (#18)


CASES = (
    Case("vertical blur + subtitles + loudnorm", "vertical", "blur"),
    Case("vertical blur + subs + loudnorm + decor", "vertical", "blur", styled=True),
    Case("vertical crop + subtitles + loudnorm", "vertical", "crop"),
    Case("square blur + subtitles + loudnorm", "square", "blur"),
    Case("original + subtitles + loudnorm", "original"),
    Case("original, cut only (stream copy)", "original", processed=False),
)


def cues_for(seconds: float) -> list[tuple[float, float, str]]:
    """Return a cue every 3 s (2.8 s long), cycling through ``CUE_TEXTS``."""
    count = int(seconds // 3)
    return [(3.0 * i, 3.0 * i + 2.8, CUE_TEXTS[i % len(CUE_TEXTS)]) for i in range(count)]


def decor_for(folder: Path, seconds: float) -> Decor:
    """A merchant's dressing: logo and card photo drawn here, the card shown twice."""
    logo, photo = folder / "logo.png", folder / "photo.jpg"
    Image.new("RGBA", (400, 160), (190, 30, 40, 255)).save(logo)
    Image.new("RGB", (800, 800), (40, 150, 90)).save(photo)
    windows = ((3.0, min(seconds, 12.0)), (seconds / 2, min(seconds, seconds / 2 + 10.0)))
    card = ProductCard("冰种翡翠手镯", "¥12,800", "NGTC A2024-0188", photo, windows)
    return Decor(
        template="bold", highlights=("翡翠", "手镯", "jade"), hook="今天只看这一只手镯",
        logo=logo, card=card,
    )  # fmt: skip


def system_busy_s() -> float:
    """Return the CPU seconds all processes have used since boot (Linux), else 0."""
    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0].split()[1:9]
    except OSError:
        return 0.0
    ticks = [int(field) for field in fields]
    busy = sum(ticks) - ticks[3] - ticks[4]  # minus idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def child_cpu_s() -> float:
    """Return the CPU seconds used so far by finished child processes (ffmpeg)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Run:
    """One timed render."""

    wall_s: float
    cpu_s: float  # used by ffmpeg
    others_cpu_s: float  # used by every other process meanwhile (other work on the host)
    lufs: float


def render_once(
    case: Case, source: Path, folder: Path, seconds: float, ffmpeg_bin: str, preset: str
) -> Run:
    """Render ``case`` once and time it."""
    stem = folder / case.name.split(",")[0].replace(" ", "-").replace("+", "")
    spec = RenderSpec(
        source=source,
        in_s=5.0,
        out_s=5.0 + seconds,
        video_path=stem.with_suffix(".mp4"),
        poster_path=stem.with_suffix(".jpg"),
        vtt_path=stem.with_suffix(".vtt"),
        profile=case.profile,
        fill=case.fill,
        cues=cues_for(seconds),
        burn_subtitles=case.processed,
        loudness_lufs=-16.0 if case.processed else None,
        poster_at_s=3.0,
        decor=decor_for(folder, seconds) if case.styled else Decor(),
    )
    cpu_before, busy_before = child_cpu_s(), system_busy_s()
    started = time.perf_counter()
    result = render_clip(spec, ffmpeg_bin=ffmpeg_bin, preset=preset)
    wall_s = time.perf_counter() - started
    cpu_s, busy_s = child_cpu_s() - cpu_before, system_busy_s() - busy_before
    lufs = result.measured_lufs
    if lufs is None:
        lufs = measure_integrated_lufs(result.video_path, ffmpeg_bin=ffmpeg_bin)
    return Run(wall_s, cpu_s, max(0.0, busy_s - cpu_s), lufs)


def ffmpeg_version(ffmpeg_bin: str) -> str:
    """Return the first line of ``ffmpeg -version``."""
    completed = subprocess.run(
        [ffmpeg_bin, "-version"], capture_output=True, text=True, check=True, timeout=30
    )
    return completed.stdout.splitlines()[0]


def main() -> None:
    """Build the source, render every case, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="clip length")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (best is kept)")
    parser.add_argument("--ffmpeg", help="ffmpeg binary (default: as the app finds it)")
    parser.add_argument("--preset", default=X264_PRESET, help="x264 preset")
    parser.add_argument("--keep", type=Path, help="folder to keep the generated files in")
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="beltcast-render-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    ffmpeg_bin = find_ffmpeg(args.ffmpeg)
    source = folder / "source-1280x720.mp4"
    if not source.is_file():
        make_speech_video(
            source, seconds=args.seconds + 10, size="1280x720", rate=30, preset="veryfast"
        )
    print(f"{ffmpeg_version(ffmpeg_bin)}  ({ffmpeg_bin})")
    print(f"CPUs {os.cpu_count()}, x264 preset {args.preset}, clip {args.seconds:g} s, "
          f"best of {args.repeat}; load average before: {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"{'case':38} {'wall/clip':>9} {'median':>7} {'cpu/clip':>8} {'others':>6} {'LUFS':>6}")
    for case in CASES:
        if args.only and args.only not in case.name:
            continue
        runs = [
            render_once(case, source, folder, args.seconds, ffmpeg_bin, args.preset)
            for _ in range(args.repeat)
        ]
        best = min(runs, key=lambda run: run.wall_s)
        median_s = statistics.median(run.wall_s for run in runs)
        print(
            f"{case.name:38} {best.wall_s / args.seconds:9.3f} {median_s / args.seconds:7.3f} "
            f"{best.cpu_s / args.seconds:8.3f} {best.others_cpu_s / best.wall_s:6.2f} "
            f"{best.lufs:6.1f}"
        )
    print("others: CPU cores other processes used during the best run (0 = quiet host)")
    print(f"load average after: {os.getloadavg()[0]:.2f}; target: vertical blur ≤ 0.20")


if __name__ == "__main__":
    main()
