"""The jobs page says what each job is and how it ended, in the reader's language."""

from __future__ import annotations

import re

from portal.auth.models import Role
from portal.extensions import db
from portal.jobs.models import Job, JobState
from portal.organisations.models import BASE_ORG_SLUG


def _add_job(app, **fields) -> int:
    defaults = {"kind": "recording.transcribe", "subject_type": "Recording", "subject_id": 1}
    with app.app_context():
        job = Job(**{**defaults, **fields})
        db.session.add(job)
        db.session.commit()
        return job.id


def _cells(html: str, label: str) -> list[str]:
    cells = re.findall(rf'<td data-label="{label}">(.*?)</td>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_admin_sees_a_finished_transcription_as_done_under_its_own_filter_name(
    app, client_as, make_user, merchant_org
) -> None:
    _add_job(
        app, org_id=merchant_org.id, state=JobState.SUCCEEDED, step="finding_items", progress=100
    )
    admin = client_as(make_user(Role.ADMIN, locale="zh_CN"))
    page = admin.get("/admin/jobs/?state=succeeded").text
    assert _cells(page, "状态") == ["已完成"]  # the filter's own word, not 已就绪
    assert _cells(page, "步骤") == ["转写完成。"]
    assert "识别商品 · 100%" not in page


def test_admin_reads_where_a_failed_job_stopped_and_a_running_ones_progress(
    app, client_as, make_user, merchant_org
) -> None:
    _add_job(app, org_id=merchant_org.id, state=JobState.FAILED, step="transcribing", progress=40)
    _add_job(app, org_id=merchant_org.id, state=JobState.RUNNING, step="saving", progress=10)
    page = client_as(make_user(Role.ADMIN, locale="en")).get("/admin/jobs/").text
    assert _cells(page, "Step") == [
        "Saving the transcript · 10%",
        "Stopped at: Transcribing speech · 40%",
    ]


def test_admin_reads_object_kinds_in_chinese_and_a_practice_video_as_one(
    app, client_as, make_user, make_org, merchant_org
) -> None:
    base = make_org(BASE_ORG_SLUG)
    _add_job(
        app, kind="clip.render", subject_type="ClipVersion", subject_id=4, org_id=merchant_org.id
    )
    _add_job(app, subject_id=7, org_id=merchant_org.id)
    _add_job(app, subject_id=13, org_id=base.id)
    zh = client_as(make_user(Role.ADMIN, locale="zh_CN")).get("/admin/jobs/").text
    assert _cells(zh, "对象") == ["课程或练习视频 #13", "直播录像 #7", "短视频版本 #4"]
    en = client_as(make_user(Role.ADMIN, locale="en")).get("/admin/jobs/").text
    assert _cells(en, "Subject") == [
        "Course or practice video #13",
        "Recording #7",
        "Clip version #4",
    ]


def test_admin_filtering_failed_jobs_is_told_there_are_none(app, client_as, make_user) -> None:
    zh = client_as(make_user(Role.ADMIN, locale="zh_CN")).get("/admin/jobs/?state=failed").text
    assert "没有失败的后台任务。" in zh
    assert "商家上传" not in zh
    en = client_as(make_user(Role.ADMIN, locale="en")).get("/admin/jobs/?state=failed").text
    assert "No failed jobs." in en
    everything = client_as(make_user(Role.ADMIN, locale="en")).get("/admin/jobs/").text
    assert "Jobs appear when merchants upload recordings or render clips." in everything
