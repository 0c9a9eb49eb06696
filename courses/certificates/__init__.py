"""Certificates: the learner's certificate page and PDF, public verification, revoking, and the
trainers' view of a course's learners."""
