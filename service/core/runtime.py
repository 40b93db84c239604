"""How a tollwatch process uses its one interpreter (the garbage collector and the GIL), and its name.

Name. `WORKER_ID` (host:pid) marks what this process holds: source and delivery leases, poll logs,
the scheduler heartbeat.

Heap. A process that has imported the extractor (quantulum3, scikit-learn, trafilatura, the
gazetteer) and the web stack holds a large heap that never becomes garbage. CPython's full
collections walk all of it: on a request or an article that allocates many objects, that walk
showed up as pauses of ~80 ms (the tail of `/series`; bench/api.py). `freeze_startup_heap()` moves
everything alive at the end of start-up into a permanent generation the collector skips, and lets
the young generation grow larger before it is collected.

CPU lane. Polling runs many threads because fetching is slow and waits on the network; main-text
and fact extraction are pure CPU. Python runs one thread at a time, so several threads extracting
at once do not go faster — they take turns every few milliseconds on different documents, and
the interleaving cost a third of the CPU (bench/poll.py). `cpu_lane()` lets `extract_concurrency`
threads (default 1) do CPU-bound work at a time; the others keep fetching meanwhile.
"""

from __future__ import annotations

import gc
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from service.core.settings import get_settings

# This process in leases, poll logs and scheduler heartbeats (the columns hold 100 characters; a lease
# token adds a suffix to it).
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"[:80]

# Collect the young generation after this many net allocations instead of CPython's 700: parsing,
# extraction and the ORM allocate in bursts of tens of thousands of short-lived objects, and with
# the default a poller ran ~6 young collections per article (bench/poll.py).
YOUNG_GENERATION_THRESHOLD = 20_000


def freeze_startup_heap() -> None:
    """Call once start-up (imports, migrations, model loading) is done; cheap to call again."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, older, oldest)


_lane_made = threading.Lock()
_lane_semaphore: threading.BoundedSemaphore | None = None


def _lane() -> threading.BoundedSemaphore:
    # Made under a lock: threads asking for it at once must all get the same one (lru_cache would
    # let two first callers each make their own, and the lane would admit two threads).
    global _lane_semaphore
    if _lane_semaphore is None:
        with _lane_made:
            if _lane_semaphore is None:
                _lane_semaphore = threading.BoundedSemaphore(max(1, get_settings().extract_concurrency))
    return _lane_semaphore


def reset_cpu_lane() -> None:
    """Forget the lane so the next use reads `extract_concurrency` again (tests change settings)."""
    global _lane_semaphore
    with _lane_made:
        _lane_semaphore = None


_in_lane = threading.local()


@contextmanager
def cpu_lane() -> Iterator[None]:
    """Hold one of the process's CPU lanes while doing CPU-bound work (main text, fact extraction).

    Re-entrant: a thread already in a lane stays in it (the poller takes the lane once for a page's
    main text and its facts; the extractor's own call then does not wait for a second lane)."""
    depth = getattr(_in_lane, "depth", 0)
    with nullcontext() if depth else _lane():
        _in_lane.depth = depth + 1
        try:
            yield
        finally:
            _in_lane.depth = depth
