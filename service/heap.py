"""Keep the garbage collector off the long-lived heap.

A process that has imported the extractor (quantulum3, scikit-learn, trafilatura, the gazetteer)
and the web stack holds a large heap that never becomes garbage. CPython's full collections walk
all of it: on a request or an article that allocates many objects, that walk showed up as pauses
of ~80 ms (the tail of `/series`; see bench/api.py). `gc.freeze()` moves everything alive at the end
of start-up into a permanent generation the collector skips; new objects are collected as before.
"""
from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Call once start-up (imports, migrations, model loading) is done; cheap to call again."""
    gc.collect()
    gc.freeze()
