"""Practice assignments: learners upload a practice video, trainers comment and decide."""
