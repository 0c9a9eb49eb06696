"""Drive the page's ``#player`` video in browser tests: play it to a time, or seek it paused."""

from __future__ import annotations

from typing import Any


def play_until(page: Any, seconds: float, timeout_ms: float) -> None:
    """Play the video muted until it reaches ``seconds``."""
    page.evaluate(
        """async () => {
            const video = document.querySelector("#player");
            video.muted = true;
            await video.play();
        }"""
    )
    page.wait_for_function(
        f"() => document.querySelector('#player')?.currentTime >= {seconds}", timeout=timeout_ms
    )


def play_fast(page: Any) -> None:
    """Play the video muted at 2× from where it is (watching, as the lesson player counts it)."""
    page.evaluate(
        """async () => {
            const video = document.querySelector("#player");
            video.muted = true;
            video.playbackRate = 2;
            await video.play();
        }"""
    )


def seek_paused(page: Any, seconds: float) -> None:
    """Wait for the video's metadata, pause it and seek to ``seconds`` (until it has seeked)."""
    page.wait_for_function("() => document.querySelector('#player')?.readyState >= 1")
    page.evaluate(
        """seconds => new Promise(done => {
            const video = document.querySelector('#player');
            video.pause();
            video.addEventListener('seeked', done, {once: true});
            video.currentTime = seconds;
        })""",
        seconds,
    )
