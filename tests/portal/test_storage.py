"""Media storage (issue 17): keys stay under the media root, and only storage makes paths there.

The first tests read the code: a module that reads ``MEDIA_ROOT`` or passes a ``media_root``
around builds paths itself, past ``portal/storage.py``. The others use ``LocalStorage`` on a
temporary folder.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from portal.storage import (
    LocalStorage,
    StorageKeyError,
    course_attachment_key,
    recording_key,
    upload_key,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "media", "courses")
# Modules that may name the media root, each with why.
ALLOWED = {
    "portal/storage.py": "the storage itself",
    "portal/config.py": "reads the setting",
    "portal/backup.py": "copies the whole media folder, file by file, as the operator asked",
}


def media_root_uses(path: Path) -> list[int]:
    """Lines of ``path`` that read ``MEDIA_ROOT`` or name a ``media_root``."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        named = (
            (isinstance(node, ast.Constant) and node.value == "MEDIA_ROOT")
            or (isinstance(node, ast.Name) and node.id == "media_root")
            or (isinstance(node, ast.arg) and node.arg == "media_root")
            or (isinstance(node, ast.Attribute) and node.attr == "media_root")
        )
        if named:
            lines.append(node.lineno)
    return sorted(set(lines))


def test_only_storage_builds_paths_under_the_media_root():
    found = [
        f"{relative}:{line}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if (relative := path.relative_to(ROOT).as_posix()) not in ALLOWED
        for line in media_root_uses(path)
    ]
    assert not found, "ask portal.storage for a key's file instead:\n" + "\n".join(found)


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "media")


@pytest.mark.parametrize(
    "key",
    [
        "",
        "../outside",
        "recordings/../../outside",
        "/etc/passwd",
        "a/\x00b",
        "a//b",
        "a/./b",
        "a\\..\\b",
        "recordings/",
    ],
)
def test_a_key_cannot_leave_the_root(storage, key):
    with pytest.raises(StorageKeyError):
        storage.path(key)


@pytest.mark.parametrize("name", ["..", "a/b", "/abs", "x\x00y", ""])
def test_a_key_builder_refuses_a_name_that_is_not_one_file(name):
    with pytest.raises(StorageKeyError):
        recording_key(7, name)


def test_an_upload_key_is_a_hex_id():
    assert upload_key("a" * 32) == f"uploads/{'a' * 32}.part"
    with pytest.raises(StorageKeyError):
        upload_key("../" + "a" * 29)


def test_keys_keep_the_existing_layout(storage, tmp_path):
    assert recording_key(7, "abc.mp4") == "recordings/7/abc.mp4"
    assert course_attachment_key("f.pdf") == "courses/attachments/f.pdf"
    assert storage.path("recordings/7/abc.mp4") == tmp_path / "media" / "recordings/7/abc.mp4"


def test_save_size_exists_delete(storage):
    key = "logos/3/x.png"
    assert not storage.exists(key)
    storage.save(key, b"picture")
    assert storage.exists(key)
    assert storage.size(key) == 7
    assert storage.path(key).read_bytes() == b"picture"
    storage.delete(key)
    storage.delete(key)  # already gone: nothing to do
    assert not storage.exists(key)


def write_half_and_fail(storage: LocalStorage, key: str) -> None:
    with storage.writing(key) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("disk full")


def test_a_failed_write_leaves_nothing(storage):
    key = "certificates/3/c.jpg"
    with pytest.raises(RuntimeError):
        write_half_and_fail(storage, key)
    assert not storage.exists(key)
    assert list(storage.path("certificates/3").iterdir()) == []


def test_a_finished_write_replaces_the_file_at_once(storage):
    storage.save("a/b.txt", b"old")
    with storage.writing("a/b.txt") as temporary:
        temporary.write_bytes(b"new")
        assert storage.path("a/b.txt").read_bytes() == b"old"
    assert storage.path("a/b.txt").read_bytes() == b"new"


def test_key_of_maps_files_back_and_refuses_outsiders(storage, tmp_path):
    storage.save("clips/1/v.mp4", b"v")
    assert storage.key_of(storage.path("clips/1/v.mp4")) == "clips/1/v.mp4"
    assert storage.key_of(tmp_path / "elsewhere.mp4") is None
    assert storage.key_of(storage.root) is None
