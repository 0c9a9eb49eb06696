"""What one clip-editor request reads of the clip's recording, each thing once (issue 16).

The editor's parts (the sentences around the clip, cut by text, word selection, the timeline,
key facts, and what ``editor_extras`` providers add: compliance hits, QA, review) look at the
same stretch of the transcript and the same versions. A request builds one ``EditorData`` and
hands it to them: the transcript, its words near the clip and the versions are read once,
however many parts and kept ranges there are. It lives for that request only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from media.clips import kept_text, rendering, services
from media.clips.models import Clip, ClipVersion
from media.clips.timeline import shown_span
from media.recordings.models import Recording
from media.transcripts.models import Sentence, Transcript, Word
from media.transcripts.services import get_transcript, words_between
from portal.comments.models import Comment
from portal.comments.services import list_comments
from portal.organisations.scoping import get_owned_or_404


@dataclass
class EditorData:
    """The clip and what the editor's parts read of it, loaded on first use."""

    clip: Clip
    around_s: int = services.NEARBY_S

    @cached_property
    def recording(self) -> Recording:
        """The clip's recording (a 404 if it is not the clip's organisation's)."""
        return get_owned_or_404(Recording, self.clip.recording_id, self.clip.org_id)

    @cached_property
    def transcript(self) -> Transcript | None:
        """The recording's transcript, if transcribed."""
        return get_transcript(self.recording)

    @cached_property
    def nearby(self) -> services.NearbySentences:
        """The sentences ``around_s`` either side of the clip."""
        return services.nearby_sentences(self.clip, self.recording, self.around_s, self.transcript)

    @cached_property
    def clip_sentences(self) -> list[Sentence]:
        """The sentences overlapping the clip's in and out (a part of ``nearby``)."""
        start, end = self.clip.start_ms, self.clip.end_ms
        return [s for s in self.nearby.sentences if s.end_ms > start and s.start_ms < end]

    @cached_property
    def span_words(self) -> list[Word]:
        """The words said in the timeline's stretch (the clip and a margin either side)."""
        if self.transcript is None:
            return []
        duration_ms = round(self.recording.duration_s * 1000)
        return words_between(self.transcript, *shown_span(self.clip, duration_ms))

    @cached_property
    def clip_words(self) -> list[Word]:
        """The words between the clip's in and out (a part of ``span_words``)."""
        start, end = self.clip.start_ms, self.clip.end_ms
        return [w for w in self.span_words if w.start_ms >= start and w.end_ms <= end]

    @cached_property
    def kept_lines(self) -> list[kept_text.KeptLine]:
        """The clip's subtitle lines with the words it keeps."""
        return kept_text.kept_lines(self.clip, self.clip_words)

    @cached_property
    def versions(self) -> list[ClipVersion]:
        """The clip's versions, newest first."""
        return rendering.list_versions(self.clip)

    @cached_property
    def comments(self) -> list[Comment]:
        """The review comments on the clip (the list beside the player, the timeline's marks)."""
        return list_comments(self.clip)

    @property
    def latest_ready(self) -> ClipVersion | None:
        """The newest rendered version, if any."""
        return next((v for v in self.versions if v.is_ready), None)
