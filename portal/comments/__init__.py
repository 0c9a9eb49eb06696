"""Timecoded comments on a video: pinned to a time (and a version), with replies.

One component for every video that gets feedback: clip versions in review, practice videos in
courses. The owning feature checks who may see the subject; this package stores and lists.
"""
