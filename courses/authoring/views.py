"""Course authoring pages for trainers and admins (blueprint ``courses_authoring``).

The routes live in ``course_views`` (courses, outline, cover), ``lesson_views`` (a lesson, its
video and captions) and ``file_views`` (caption tracks, attachments); importing them here
registers them on the one blueprint the factory lists.
"""

from __future__ import annotations

from courses.authoring import course_views, file_views, lesson_views
from courses.authoring.blueprint import bp

__all__ = ["bp", "course_views", "file_views", "lesson_views"]
