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


def test_job_time_limits_are_parsed_as_positive_seconds():
    values = read_environment(
        {
            "BELTCAST_TRANSCRIBE_TIME_PER_MEDIA_SECOND": "0.25",
            "BELTCAST_RENDER_TIME_BASE_SECONDS": "90",
        }
    )
    assert values["TRANSCRIBE_TIME_PER_S"] == 0.25
    assert values["RENDER_TIME_BASE_S"] == 90.0


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon"])
def test_job_time_limit_that_is_not_a_positive_number_stops_start_up(value):
    with pytest.raises(ConfigError, match="BELTCAST_TRANSCRIBE_TIME_BASE_SECONDS"):
        read_environment({"BELTCAST_TRANSCRIBE_TIME_BASE_SECONDS": value})


def test_secret_key_is_generated_once_into_the_instance(tmp_path):
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_local_demo_mails_links_to_the_local_portal(tmp_path, monkeypatch):
    monkeypatch.delenv("BELTCAST_SECRET_KEY", raising=False)
    monkeypatch.delenv("BELTCAST_BASE_URL", raising=False)

    app = create_app({"INSTANCE_PATH": str(tmp_path)})

    assert app.config["BASE_URL"] == "http://127.0.0.1:8000"


@pytest.mark.parametrize("deployed_by", ["BELTCAST_SECRET_KEY", "BELTCAST_SECURE_COOKIES"])
def test_deployment_without_base_url_stops_start_up_naming_it(tmp_path, monkeypatch, deployed_by):
    monkeypatch.delenv("BELTCAST_BASE_URL", raising=False)
    monkeypatch.setenv(deployed_by, "true")

    with pytest.raises(ConfigError, match="BELTCAST_BASE_URL"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


@pytest.mark.parametrize("value", ["beltcast.example", "ftp://beltcast.example", "https://"])
def test_base_url_that_is_not_an_http_site_stops_start_up(value):
    with pytest.raises(ConfigError, match="BELTCAST_BASE_URL"):
        read_environment({"BELTCAST_BASE_URL": value})


def test_beam_width_of_recognition_is_a_positive_whole_number():
    assert read_environment({"BELTCAST_WHISPER_BEAM_SIZE": "3"})["WHISPER_BEAM_SIZE"] == 3
    with pytest.raises(ConfigError, match="BELTCAST_WHISPER_BEAM_SIZE"):
        read_environment({"BELTCAST_WHISPER_BEAM_SIZE": "0"})
