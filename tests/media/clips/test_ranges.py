"""Range arithmetic of clips cut by text: cuts, undo, mapping to the output timeline."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from media.clips import ranges as r

RECORDING = (0, 60_000)
stretches = st.tuples(st.integers(-1000, 61_000), st.integers(0, 8000)).map(
    lambda pair: (pair[0], pair[0] + pair[1])
)
edits = st.lists(
    st.one_of(st.tuples(st.just("cut"), stretches), st.just(("undo", None))), max_size=30
)
# Pure arithmetic: a loaded CI machine may draw slowly, which is no failure of the code.
PATIENT = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _well_formed(kept: list[r.Range]) -> None:
    assert kept == sorted(kept)
    for (_, end), (start, _) in itertools.pairwise(kept):
        assert end <= start  # never overlapping
    assert all(RECORDING[0] <= a and b <= RECORDING[1] for a, b in kept)
    assert all(b - a >= r.MIN_RANGE_MS for a, b in kept)


@PATIENT
@given(st.lists(stretches, max_size=6), edits)
def test_cuts_and_undos_keep_ranges_well_formed_and_undo_restores_exactly(start, steps):
    kept = r.normalised(start, RECORDING) or [RECORDING]
    history: list[list[r.Range]] = []
    lists = [kept]  # what undo must give back, newest last
    for kind, stretch in steps:
        if kind == "cut":
            history, kept = r.pushed(history, kept), r.cut(kept, *stretch)
            lists.append(kept)
        elif history:
            history, kept = r.popped(history)
            lists.pop()
            assert kept == lists[-1]
        _well_formed(kept)
        assert r.total_ms(kept) <= RECORDING[1]


@PATIENT
@given(stretches)
def test_a_cut_removes_exactly_the_stretch(stretch):
    kept = r.cut([RECORDING], *stretch)
    low, high = max(stretch[0], 0), min(stretch[1], RECORDING[1])
    removed = max(0, high - low)
    # pieces shorter than MIN_RANGE_MS at the edges are dropped too
    assert RECORDING[1] - removed - 2 * r.MIN_RANGE_MS < r.total_ms(kept) <= RECORDING[1] - removed
    if high > low:
        assert r.output_span(kept, low, high) is None


def test_deleting_a_middle_sentence_splits_the_range_and_its_cue_disappears():
    kept = r.cut([(1000, 9000)], 3000, 5000)
    assert kept == [(1000, 3000), (5000, 9000)]
    assert r.output_span(kept, 3000, 5000) is None
    assert r.output_span(kept, 5000, 7000) == (2000, 4000)
    assert r.output_span(kept, 2000, 6000) == (1000, 3000)  # the cut middle closes up


def test_history_keeps_the_newest_steps():
    history: list[list[r.Range]] = []
    for n in range(r.HISTORY_LENGTH + 5):
        history = r.pushed(history, [(n, n + 1000)])
    assert len(history) == r.HISTORY_LENGTH
    assert r.popped(history)[1] == [(r.HISTORY_LENGTH + 4, r.HISTORY_LENGTH + 1004)]


def test_fillers_one_word_or_two_and_long_pauses():
    words = [(0, 300, "嗯，"), (300, 800, "这个"), (900, 1000, "那"), (1000, 1100, "个"),
             (4000, 4500, "Um"), (4500, 5000, "手镯")]  # fmt: skip
    assert r.filler_stretches(words) == [(0, 300), (900, 1100), (4000, 4500)]
    assert r.long_pauses([(a, b) for a, b, _ in words], 2000) == [(1250, 3850)]


def test_moving_in_and_out_keeps_the_cuts_between():
    kept = [(1000, 3000), (5000, 9000)]
    assert r.with_bounds(kept, 2000, 12_000) == [(2000, 3000), (5000, 12_000)]
    assert r.with_bounds(kept, 500, 2500) == [(500, 2500)]
    assert r.with_bounds(kept, 3500, 4500) == [(3500, 4500)]


@PATIENT
@given(st.lists(stretches, min_size=1, max_size=6), st.integers(0, 61_000))
def test_a_recording_time_maps_to_the_output_and_back(start, output_ms):
    kept = r.normalised(start, RECORDING) or [RECORDING]
    at = r.recording_time(kept, output_ms)
    if output_ms > r.total_ms(kept):
        assert at is None
        return
    assert at is not None
    assert any(a <= at <= b for a, b in kept)
    assert r.output_span(kept, at, at + 1) in (None, (output_ms, output_ms + 1))


def test_an_edge_moves_to_the_nearest_time_given():
    kept = [(1000, 4000), (6000, 9000)]

    assert r.nearest([4100, 4700, 5200], 4500) == 4700
    assert r.nearest([], 4500) == 4500
    assert r.with_edge(kept, 0, "end", 4700) == [(1000, 4700), (6000, 9000)]
    assert r.with_edge(kept, 1, "start", 5200) == [(1000, 4000), (5200, 9000)]
