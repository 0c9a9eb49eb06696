"""Background jobs: the ``Job`` table is the truth, Huey only delivers.

Delivery is at least once; a job is claimed atomically, keeps a lease while it runs, and a
sweeper re-queues jobs whose worker died. Handlers are idempotent.
"""
