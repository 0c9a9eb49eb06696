"""Another request running to its end while a test's request is half-way (an exact interleaving).

The test's request reads what a view reads; ``meanwhile`` then runs the other request in a
thread, so with its own app context and database session, as another web process would; then
the test's request goes on with what it read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


def meanwhile(step: Callable[[], object]) -> None:
    """Run ``step`` to its end in a thread; re-raise here what it raised."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            step()
        except BaseException as exc:  # re-raised in the test's thread
            failed.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failed:
        raise failed[0]
