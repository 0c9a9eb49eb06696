"""Courses for new streamers: lessons, progress, quizzes, practice and certificates."""
