"""The QA check of a rendered version: its range edges against the words, banned words too.

A tiny generated video stands for the render (tone, no picture defects); the version's ranges,
cues and the recording's words are rows.
"""

import subprocess

from sqlalchemy import select

from media.clips.models import Clip, ClipVersion
from media.ffmpeg import find_ffmpeg
from media.qa.models import RenderQaReport
from media.qa.services import check_render
from media.transcripts.models import Transcript, Word
from portal.extensions import db
from tests.support.clipdata import add_transcript


def _video(path):
    subprocess.run(
        [find_ffmpeg(None), "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=160x284:r=10:d=3",
         "-f", "lavfi", "-i", "sine=f=440:d=3", "-af", "volume=12dB", "-c:v", "libx264",
         "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    return path


def test_check_finds_a_cut_inside_a_word_and_a_banned_subtitle(
    app, make_clip, merchant_org, tmp_path
):
    clip_id = make_clip(merchant_org, cue_texts=("全网最低价 加微信下单",))
    with app.app_context():
        clip = db.session.get(Clip, clip_id)
        version = db.session.scalar(select(ClipVersion).where(ClipVersion.clip_id == clip_id))
        # The version keeps 10.0-11.5 s and 12.0-13.0 s; "手镯" runs 11.3-11.8 s: cut inside.
        version.ranges = [[10_000, 11_500], [12_000, 13_000]]
        version.duration_s, version.width, version.height = 2.5, 160, 284
        add_transcript(clip.recording_id, merchant_org.id, [(10_000, 13_000, "翡翠手镯很好")])
        transcript = db.session.scalar(select(Transcript))
        db.session.add_all([
            Word(transcript_id=transcript.id, sentence_position=0, start_ms=10_000,
                 end_ms=11_300, text="翡翠"),
            Word(transcript_id=transcript.id, sentence_position=0, start_ms=11_300,
                 end_ms=11_800, text="手镯"),
        ])  # fmt: skip
        check_render(
            version, clip, _video(tmp_path / "v.mp4"), ffmpeg_bin=find_ffmpeg(None), timeout_s=60
        )
        db.session.commit()
        report = db.session.scalar(select(RenderQaReport))
        found = {(f["check"], f["detail"], f["start_s"]) for f in report.findings}
    assert ("word_cut", "手镯", 1.5) in found  # the first range's end, 1.5 s into the clip
    assert any(check == "banned_word" for check, _, _ in found)
    assert report.is_blocking
