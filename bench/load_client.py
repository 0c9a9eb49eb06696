"""The load benchmark's users: a recording HTTP client, what each user does, and the figures.

Used by ``bench.load``; see its docstring for the whole benchmark.
"""

from __future__ import annotations

import http.cookiejar
import os
import random
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from typing import Any

PASSWORD = "load-test-password-1"
SEARCHES = ("翡翠", "手镯", "和田玉", "证书", "直播", "jade", "bangle", "平安扣", "珍珠", "冰种")
TUS_CHUNK = 8 * 1024 * 1024  # what the upload widget sends per PATCH
BLOCK = os.urandom(1024 * 1024)


class Browser:
    """A cookie-keeping client that records the latency of every request."""

    def __init__(self, base: str, results: Results) -> None:
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object) -> None:
                return None

        self.base, self.results, self.csrf = base, results, ""
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )

    def request(
        self, kind: str, path: str, data: dict[str, Any] | None = None, **headers: str
    ) -> tuple[int, str]:
        """Send one request; record (kind, seconds, status); return status and body."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        except OSError as error:
            self.results.failed(kind, repr(error))
            return 0, ""
        self.results.add(kind, time.perf_counter() - started, status)
        token = re.search(r'"X-CSRFToken": "([^"]+)"', text)
        if token:
            self.csrf = token.group(1)
        return status, text

    def login(self, email: str) -> None:
        """Sign in through the form (CSRF token included), then open the home page."""
        _status, page = self.request("login", "/auth/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token, "no login form"
        status, _ = self.request(
            "login", "/auth/login",
            {"csrf_token": token.group(1), "email": email, "password": PASSWORD},
        )  # fmt: skip
        assert status == 302, f"login of {email} answered {status}"
        self.request("browse", "/")


class Results:
    """Latencies and failures, shared by all user threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.errors: list[str] = []

    def add(self, kind: str, seconds: float, status: int) -> None:
        """Record one answered request."""
        with self.lock:
            self.latency[kind].append(seconds)
            self.status[kind][status] += 1

    def failed(self, kind: str, error: str) -> None:
        """Record a request that got no answer."""
        with self.lock:
            self.errors.append(f"{kind}: {error}")


def percentile(values: list[float], share: float) -> float:
    """Return the value below which ``share`` of ``values`` lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def lesson_paths(browser: Browser) -> list[str]:
    """Find the published lessons through the course catalog."""
    _status, catalog = browser.request("browse", "/courses/")
    lessons: set[str] = set()
    for course in sorted(set(re.findall(r'href="(/courses/\d+)"', catalog)))[:3]:
        _status, page = browser.request("browse", course)
        lessons |= set(re.findall(r'href="(/courses/lessons/\d+)"', page))
    return sorted(lessons)


def sign_in(browser: Browser, email: str, role: str) -> list[str]:
    """Sign a user in and open each kind of page once (warm-up: the search dictionaries load
    on the first search); return the lessons a streamer plays."""
    browser.login(email)
    browser.request("search", "/search?" + urllib.parse.urlencode({"q": SEARCHES[0]}))
    return lesson_paths(browser) if role == "streamer" else []


def user_loop(
    browser: Browser, email: str, role: str, lessons: list[str], until: float, think: tuple
) -> None:
    """Browse, search and post progress until ``until``; a failure ends this user only."""
    rng = random.Random(email)
    pages = ["/", "/library/", "/courses/"]
    if role == "merchant":
        pages += ["/catalog/", "/media/recordings/", "/library/feed.json"]
    seq = 0
    try:
        while time.monotonic() < until:
            time.sleep(rng.uniform(*think))
            roll = rng.random()
            if roll < 0.25:
                query = urllib.parse.urlencode({"q": rng.choice(SEARCHES)})
                browser.request("search", f"/search?{query}")
            elif roll < 0.45 and lessons:
                seq += 1
                browser.request(
                    "progress", f"{rng.choice(lessons)}/progress",
                    {"position_s": seq * 5.0, "seq": seq}, **{"X-CSRFToken": browser.csrf},
                )  # fmt: skip
            elif roll < 0.55 and lessons:
                browser.request("browse", rng.choice(lessons))
            else:
                browser.request("browse", rng.choice(pages))
    except (OSError, ValueError) as error:
        browser.results.failed("user", f"{email}: {error!r}")


def upload(browser: Browser, size: int, report: dict[str, Any]) -> None:
    """Send ``size`` bytes over tus in widget-sized PATCH requests."""
    headers = {"Tus-Resumable": "1.0.0", "X-CSRFToken": browser.csrf}
    request = urllib.request.Request(
        browser.base + "/uploads/", method="POST",
        headers={**headers, "Upload-Length": str(size)},
    )  # fmt: skip
    started = time.perf_counter()
    with browser.opener.open(request, timeout=60) as created:
        location = created.headers["Location"]
    offset = 0
    while offset < size:
        length = min(TUS_CHUNK, size - offset)
        body = (BLOCK[: min(len(BLOCK), length - sent)] for sent in range(0, length, len(BLOCK)))
        patch = urllib.request.Request(
            location, data=body, method="PATCH",
            headers={**headers, "Upload-Offset": str(offset), "Content-Length": str(length),
                     "Content-Type": "application/offset+octet-stream"},
        )  # fmt: skip
        with browser.opener.open(patch, timeout=300) as answer:
            offset = int(answer.headers["Upload-Offset"])
    seconds = time.perf_counter() - started
    report.update(bytes=size, seconds=round(seconds, 1), mb_per_s=round(size / seconds / 1e6, 1))


def summarise(results: Results) -> dict[str, Any]:
    """Turn the raw latencies into the figures reported."""
    kinds = {}
    for kind, values in sorted(results.latency.items()):
        kinds[kind] = {
            "count": len(values),
            "p50_ms": round(statistics.median(values) * 1000),
            "p95_ms": round(percentile(values, 0.95) * 1000),
            "p99_ms": round(percentile(values, 0.99) * 1000),
            "max_ms": round(max(values) * 1000),
            "status": dict(results.status[kind]),
        }
    pages = [v for k, vs in results.latency.items() if k in ("browse", "search") for v in vs]
    server_errors = sum(n for s in results.status.values() for c, n in s.items() if c >= 500)
    return {
        "kinds": kinds,
        "page_p95_ms": round(percentile(pages, 0.95) * 1000),
        "requests": sum(len(v) for v in results.latency.values()),
        "server_errors_5xx": server_errors,
        "connection_errors": len(results.errors),
        "error_samples": results.errors[:5],
    }


def report(summary: dict[str, Any]) -> str:
    """Format the figures as a Markdown table and a few lines."""
    lines = [
        "| kind | requests | p50 ms | p95 ms | p99 ms | max ms | answers |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, row in summary["kinds"].items():
        answers = ", ".join(f"{code}×{n}" for code, n in sorted(row["status"].items()))
        lines.append(
            f"| {kind} | {row['count']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} "
            f"| {row['max_ms']} | {answers} |"
        )
    lines += [
        "",
        f"page p95 (browse + search): {summary['page_p95_ms']} ms; 5xx: "
        f"{summary['server_errors_5xx']}; connection errors: {summary['connection_errors']}",
        f"uploads: {summary['uploads']}",
        f"web worker RSS growth during the big upload: {summary['rss_growth_mb']} MB "
        f"(peak {summary['rss_peak_mb']} MB)",
        f"jobs at the end: {summary['jobs']}; sign-in p95 during warm-up: "
        f"{summary['sign_in_p95_ms']} ms",
        f"host: {summary['host_cores_busy']} cores busy, of which other work "
        f"{summary['others_cores_busy']}; load average {summary['load_average']}",
    ]
    return "\n".join(lines)
