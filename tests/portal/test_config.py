from pathlib import Path

import pytest

from portal import create_app
from portal.config import PREFIX, SETTINGS, ConfigError, read_environment

OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def test_every_setting_is_documented_in_operations():
    text = OPERATIONS.read_text(encoding="utf-8")
    missing = [s.env for s in SETTINGS if f"`{PREFIX}{s.env}`" not in text]
    assert not missing, f"document these settings in docs/operations.md: {missing}"


def test_bad_setting_value_stops_start_up_naming_it():
    with pytest.raises(ConfigError, match="BELTCAST_SMTP_PORT"):
        read_environment({"BELTCAST_SMTP_PORT": "many"})


def test_sizes_and_frame_limits_are_parsed():
    values = read_environment(
        {"BELTCAST_MAX_UPLOAD_BYTES": "4G", "BELTCAST_MAX_FRAME_SIZE": "1080x1920"}
    )
    assert values["MAX_UPLOAD_BYTES"] == 4 * 1024**3
    assert values["MAX_FRAME_SIZE"] == (1920, 1080)


def test_secret_key_is_generated_once_into_the_instance(tmp_path):
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
