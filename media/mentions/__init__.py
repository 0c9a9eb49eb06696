"""Mentions: find where catalog items are discussed in a transcript and propose clips.

``matching`` turns timed sentences and catalog terms into timed mentions; ``suggestions`` turns
mentions into 20–90 s clip proposals. Both are pure functions: no Flask, no database.
"""
