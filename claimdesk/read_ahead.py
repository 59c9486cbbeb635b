"""Read the next piece of a long read while this one is being written.

An export alternates between the database (a chunk's queries, about half of
its time at a million claims) and Python (writing the chunk's rows). One
thread does one then the other, so each waits for the other and one of the
machine's cores sits idle. ``read_ahead`` runs the reads in a second thread,
on that thread's own database connection, one chunk ahead of the writer; the
writer's Python and the database's work on the next chunk then overlap.

The reads are separate statements either way (an export reads in keyset
chunks, each its own statement outside a transaction), so reading them from
another connection sees the same data. Inside a transaction it would not:
a second connection sees none of the transaction's uncommitted rows, so
there the reads run in the caller's thread, as before (this is also what a
test inside a transaction exercises).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connections

T = TypeVar("T")

# How long the reader waits, at most, to hand a piece over before it checks
# whether the writer has stopped (the client went away, an error).
_POLL_SECONDS = 0.1
_DONE = object()


def read_ahead(
    read: Callable[[], Iterator[T]], *, using: str = DEFAULT_DB_ALIAS
) -> Iterator[T]:
    """The items of ``read()``, in order, read by a second thread at most one
    item ahead of the caller (so at most three are in memory: the one being
    written, the one handed over, the one being read).

    An exception in the reader is raised here, at the item it failed on. If
    the caller stops early (a closed download), the reader stops at its next
    item, and its database connection is closed either way."""
    if connections[using].in_atomic_block:
        yield from read()
        return
    handover: queue.Queue = queue.Queue(maxsize=1)
    stopped = threading.Event()

    def hand_over(item: object) -> bool:
        while not stopped.is_set():
            try:
                handover.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def reader() -> None:
        try:
            for item in read():
                if not hand_over((item, None)):
                    return
            hand_over((_DONE, None))
        except BaseException as error:  # handed to the caller, raised there
            hand_over((None, error))
        finally:
            # This thread's connections only: the handler is per thread.
            connections.close_all()

    thread = threading.Thread(target=reader, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = handover.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stopped.set()
        thread.join()
