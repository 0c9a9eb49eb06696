"""Settings: every ``BELTCAST_*`` environment variable, read once, typed, with its default.

This is the only module that reads ``os.environ``. Each setting is documented in
``docs/operations.md``; a test checks that the two agree.
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PREFIX = "BELTCAST_"
LOCAL_BASE_URL = "http://127.0.0.1:8000"  # where `make run` serves the local demo


class ConfigError(RuntimeError):
    """A setting has a value that cannot be used; start-up stops naming it."""


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected true/false")


def _parse_positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("expected a positive whole number")
    return value


def _parse_bytes(raw: str) -> int:
    """Parse a size such as ``500M``, ``4G`` or a plain number of bytes."""
    units = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
    text = raw.strip().upper().removesuffix("B")
    factor = units.get(text[-1:], 1)
    number = text[:-1] if text[-1:] in units else text
    return _parse_positive_int(str(int(float(number) * factor)))


def _parse_positive_float(raw: str) -> float:
    value = float(raw)
    if not (value > 0 and math.isfinite(value)):
        raise ValueError("expected a positive number")
    return value


def _parse_frame_size(raw: str) -> tuple[int, int]:
    width, _, height = raw.lower().partition("x")
    sides = sorted((_parse_positive_int(width), _parse_positive_int(height)), reverse=True)
    return sides[0], sides[1]


def _parse_hops(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError("expected 0 or more")
    return value


def _parse_accel_prefix(raw: str) -> str:
    if raw and not (raw.startswith("/") and raw.endswith("/")):
        raise ValueError("expected a location such as /_media/ (leading and trailing slash)")
    return raw


def _parse_base_url(raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError("expected the portal's address, such as https://beltcast.example")
    return raw.strip().rstrip("/")


# The subtitle templates of media/render/styles.py (tests/media/clips/test_styles.py checks).
SUBTITLE_TEMPLATES = ("clean", "bold", "big")


def _parse_subtitle_template(raw: str) -> str:
    if raw not in SUBTITLE_TEMPLATES:
        raise ValueError(f"expected one of {', '.join(SUBTITLE_TEMPLATES)}")
    return raw


def _parse_locale(raw: str) -> str:
    if raw not in {"zh_CN", "en"}:
        raise ValueError("expected zh_CN or en")
    return raw


@dataclass(frozen=True)
class Setting:
    """One environment setting: its Flask config key, parser and default."""

    env: str
    key: str
    parse: Callable[[str], Any]
    default: Any
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SECRET_KEY",
        "SECRET_KEY",
        str,
        None,
        "Signs sessions and tokens. Default: generated once into instance/secret_key.",
    ),
    Setting(
        "DATABASE_URL",
        "SQLALCHEMY_DATABASE_URI",
        str,
        None,
        "SQLAlchemy URL. Default: SQLite file instance/beltcast.db (WAL, foreign keys on).",
    ),
    Setting(
        "REDIS_URL",
        "REDIS_URL",
        str,
        None,
        "Redis URL for the job queue and rate limits. Default: none (embedded queue, memory).",
    ),
    Setting(
        "MEDIA_ROOT",
        "MEDIA_ROOT",
        str,
        None,
        "Folder for uploaded and generated media. Default: instance/media.",
    ),
    Setting(
        "BASE_URL",
        "BASE_URL",
        _parse_base_url,
        "",
        "Public address of the portal, e.g. https://beltcast.example: mailed links, feeds and "
        "share pages start with it, never with the request's Host. Required once SECRET_KEY or "
        f"SECURE_COOKIES is set; the local demo uses {LOCAL_BASE_URL}.",
    ),
    Setting(
        "SECURE_COOKIES",
        "SESSION_COOKIE_SECURE",
        _parse_bool,
        False,
        "Send cookies only over HTTPS (set true behind TLS); also turns on HSTS.",
    ),
    Setting(
        "DEFAULT_LOCALE",
        "BABEL_DEFAULT_LOCALE",
        _parse_locale,
        "zh_CN",
        "Interface language for visitors without a choice: zh_CN or en.",
    ),
    Setting(
        "LOGIN_RATE_LIMIT",
        "LOGIN_RATE_LIMIT",
        str,
        "10 per minute",
        "Rate limit for login, registration and password-reset posts per client.",
    ),
    Setting(
        "PROGRESS_RATE_LIMIT",
        "COURSES_PROGRESS_RATE_LIMIT",
        str,
        "30 per minute",
        "Rate limit for a learner's lesson-progress posts (the player posts every 5 seconds).",
    ),
    Setting(
        "RATELIMIT_ENABLED", "RATELIMIT_ENABLED", _parse_bool, True, "Turn rate limiting on or off."
    ),
    Setting(
        "SMTP_HOST",
        "SMTP_HOST",
        str,
        "",
        "SMTP server for mail. Default: empty, mail is written to the log.",
    ),
    Setting("SMTP_PORT", "SMTP_PORT", _parse_positive_int, 587, "SMTP port."),
    Setting("SMTP_USER", "SMTP_USER", str, "", "SMTP user name (empty: no login)."),
    Setting("SMTP_PASSWORD", "SMTP_PASSWORD", str, "", "SMTP password."),
    Setting("SMTP_STARTTLS", "SMTP_STARTTLS", _parse_bool, True, "Use STARTTLS with SMTP."),
    Setting("MAIL_FROM", "MAIL_FROM", str, "beltcast@localhost", "Sender address of mail."),
    Setting(
        "MAX_IMAGE_BYTES",
        "MAX_IMAGE_BYTES",
        _parse_bytes,
        10 * 1024**2,
        "Largest certificate image or document accepted (e.g. 10M).",
    ),
    Setting("LOG_LEVEL", "LOG_LEVEL", str, "INFO", "Python logging level."),
    Setting(
        "MAX_UPLOAD_BYTES",
        "MAX_UPLOAD_BYTES",
        _parse_bytes,
        20 * 1024**3,
        "Largest recording accepted by upload (e.g. 20G).",
    ),
    Setting(
        "ORG_QUOTA_BYTES",
        "ORG_QUOTA_BYTES",
        _parse_bytes,
        200 * 1024**3,
        "Storage quota of one merchant organisation for recordings and uploads.",
    ),
    Setting(
        "STREAMER_QUOTA_BYTES",
        "STREAMER_QUOTA_BYTES",
        _parse_bytes,
        5 * 1024**3,
        "Storage quota of each streamer for practice videos and uploads.",
    ),
    Setting(
        "STAFF_QUOTA_BYTES",
        "STAFF_QUOTA_BYTES",
        _parse_bytes,
        50 * 1024**3,
        "Storage quota of each trainer and administrator for course videos and uploads.",
    ),
    Setting(
        "UPLOAD_EXPIRY_HOURS",
        "UPLOAD_EXPIRY_HOURS",
        _parse_positive_int,
        24,
        "Hours an unfinished upload is kept before the cleaner removes it.",
    ),
    Setting(
        "FFMPEG",
        "FFMPEG_BINARY",
        str,
        "",
        "Path of ffmpeg. Default: ffmpeg on PATH, else the one in the imageio-ffmpeg wheel.",
    ),
    Setting(
        "WHISPER_MODEL",
        "WHISPER_MODEL",
        str,
        "",
        "CTranslate2 Whisper model directory, or a size name (tiny, base, small, …) that "
        "faster-whisper downloads where the host has internet. Default: the packaged base "
        "model, prepared once into instance/models/whisper-base.",
    ),
    Setting(
        "WHISPER_THREADS",
        "WHISPER_THREADS",
        _parse_positive_int,
        2,
        "CPU threads for speech recognition per worker.",
    ),
    Setting(
        "WHISPER_HINT_TOKENS",
        "WHISPER_HINT_TOKENS",
        _parse_positive_int,
        120,
        "Tokens of recognition hints (item names, trade terms, the domain prompt) per batch of "
        "speech; at most 223, Whisper's prompt limit.",
    ),
    Setting(
        "WHISPER_BEAM_SIZE",
        "WHISPER_BEAM_SIZE",
        _parse_positive_int,
        3,
        "Beam width of speech recognition. Beam 5 takes 17–28 % more time for the same items, "
        "names and Mandarin character error rate on ten streams (docs/benchmarks.md).",
    ),
    Setting(
        "MAX_DURATION_HOURS",
        "MAX_DURATION_S",
        lambda raw: _parse_positive_int(raw) * 3600,
        6 * 3600,
        "Longest recording accepted, in hours.",
    ),
    Setting(
        "MAX_FRAME_SIZE",
        "MAX_FRAME_SIZE",
        _parse_frame_size,
        (3840, 2160),
        "Largest video frame accepted, WIDTHxHEIGHT in either orientation (default 3840x2160).",
    ),
    Setting(
        "SUBTITLE_FONT",
        "SUBTITLE_FONT",
        str,
        "",
        "Font file for burned-in subtitles. Default: fontconfig's Noto Sans CJK SC, else the "
        "Noto Sans CJK SC face from the noto-cjk-sans-otc wheel.",
    ),
    Setting(
        "JOB_LEASE_SECONDS",
        "JOB_LEASE_S",
        _parse_positive_int,
        120,
        "A running job's lease; a job whose worker stops renewing it is retried.",
    ),
    Setting(
        "JOB_MAX_ATTEMPTS",
        "JOB_MAX_ATTEMPTS",
        _parse_positive_int,
        3,
        "Attempts before a job is marked failed.",
    ),
    Setting(
        "JOB_SWEEP_SECONDS",
        "JOB_SWEEP_S",
        _parse_positive_int,
        30,
        "How often a worker looks for jobs whose worker died, cleans expired uploads and removes "
        "the scratch folders of jobs not running.",
    ),
    Setting(
        "TRANSCRIBE_TIME_BASE_SECONDS",
        "TRANSCRIBE_TIME_BASE_S",
        _parse_positive_float,
        600.0,
        "Time limit of a transcription job: this many seconds, plus "
        "TRANSCRIBE_TIME_PER_MEDIA_SECOND for each second of the recording.",
    ),
    Setting(
        "TRANSCRIBE_TIME_PER_MEDIA_SECOND",
        "TRANSCRIBE_TIME_PER_S",
        _parse_positive_float,
        0.5,
        "Seconds a transcription job may take per second of recording, on top of the base "
        "(0.5: a 4-hour stream gets 2 h 10 min).",
    ),
    Setting(
        "RENDER_TIME_BASE_SECONDS",
        "RENDER_TIME_BASE_S",
        _parse_positive_float,
        300.0,
        "Time limit of a render job: this many seconds, plus RENDER_TIME_PER_MEDIA_SECOND for "
        "each second of the clip.",
    ),
    Setting(
        "RENDER_TIME_PER_MEDIA_SECOND",
        "RENDER_TIME_PER_S",
        _parse_positive_float,
        3.0,
        "Seconds a render job may take per second of clip, on top of the base.",
    ),
    Setting(
        "QUEUE_NAME",
        "QUEUE_NAME",
        str,
        "beltcast",
        "Name of the job queue (separates several installations on one Redis).",
    ),
    Setting(
        "SUBTITLE_TEMPLATE",
        "SUBTITLE_TEMPLATE",
        _parse_subtitle_template,
        "clean",
        "The base's subtitle template for organisations that chose none: clean, bold or big.",
    ),
    Setting(
        "MERCHANT_CAN_PUBLISH",
        "MERCHANT_CAN_PUBLISH",
        _parse_bool,
        False,
        "Let merchants publish and unpublish their approved clips (else trainers only).",
    ),
    Setting(
        "WORKER_THREADS",
        "WORKER_THREADS",
        _parse_positive_int,
        1,
        "Jobs one `flask worker` process runs at once.",
    ),
    Setting(
        "PROXY_HOPS",
        "PROXY_HOPS",
        _parse_hops,
        0,
        "Proxies in front of the web processes whose X-Forwarded-For/-Proto/-Host are trusted "
        "(1 behind one nginx). Default 0: the headers are ignored.",
    ),
    Setting(
        "MEDIA_ACCEL_PREFIX",
        "MEDIA_ACCEL_PREFIX",
        _parse_accel_prefix,
        "",
        "Internal nginx location serving MEDIA_ROOT, e.g. /_media/: media answers carry "
        "X-Accel-Redirect after the access check. Default: the portal sends the files.",
    ),
)


def read_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return Flask config values for the ``BELTCAST_*`` variables that are set."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(PREFIX + setting.env)
        if raw is None:
            continue
        try:
            values[setting.key] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{PREFIX}{setting.env}={raw!r}: {exc}") from exc
    return values


def instance_path_from_environment() -> str | None:
    """Return ``BELTCAST_INSTANCE_PATH`` if set (where the database, media and key live)."""
    return os.environ.get(PREFIX + "INSTANCE_PATH")


def build_config(instance_path: Path, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Combine defaults, the environment and ``overrides`` into a Flask config mapping."""
    config: dict[str, Any] = {s.key: s.default for s in SETTINGS}
    config.update(read_environment())
    config.update(overrides or {})
    config["BASE_URL"] = _base_url(config)
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret_key(instance_path)
    if not config["SQLALCHEMY_DATABASE_URI"]:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance_path / 'beltcast.db'}"
    if not config["MEDIA_ROOT"]:
        config["MEDIA_ROOT"] = str(instance_path / "media")
    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    config["RATELIMIT_STORAGE_URI"] = config.get("RATELIMIT_STORAGE_URI") or (
        config["REDIS_URL"] or "memory://"
    )
    # X-RateLimit-* on limited routes, and Retry-After on a 429 (RFC 6585): when to come back.
    config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    return config


def _base_url(config: Mapping[str, Any]) -> str:
    """Return the portal's public address; only the local demo and tests may leave it unset.

    A deployment (its own secret key, or TLS cookies) has to name it: links built from the
    request's Host header would let anyone who sends a forged Host have reset links mailed to
    their own site.
    """
    if config["BASE_URL"]:
        return config["BASE_URL"].rstrip("/")
    if (config["SECRET_KEY"] or config["SESSION_COOKIE_SECURE"]) and not config.get("TESTING"):
        raise ConfigError(
            f"{PREFIX}BASE_URL is required once {PREFIX}SECRET_KEY or {PREFIX}SECURE_COOKIES is "
            "set: the public address mailed links start with, e.g. https://beltcast.example"
        )
    return LOCAL_BASE_URL


def _instance_secret_key(instance_path: Path) -> str:
    """Read the instance's secret key, creating it on first start."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
