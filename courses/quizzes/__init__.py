"""Lesson quizzes: trainers author questions, learners take them and see feedback."""
