"""The CPU lane: main-text and fact extraction never run on more threads at once than
`TOLLWATCH_EXTRACT_CONCURRENCY`, however many polling threads there are."""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import extractors
from service.core import runtime
from service.ingest.store import extract_facts


@pytest.mark.parametrize("lanes", [1, 2])
def test_extraction_runs_on_at_most_the_configured_threads(monkeypatch, settings_env, lanes):
    settings_env(extract_concurrency=lanes)
    runtime.reset_cpu_lane()
    inside = peak = 0
    guard = threading.Lock()
    real_extract = extractors.extract

    def counting_extract(text, published, title):
        nonlocal inside, peak
        if not threading.current_thread().name.startswith("lane-test"):  # another test's leftover thread
            return real_extract(text, published, title)
        with guard:
            inside += 1
            peak = max(peak, inside)
        try:
            time.sleep(0.02)  # long enough that unguarded threads would overlap
            return real_extract(text, published, title)
        finally:
            with guard:
                inside -= 1

    monkeypatch.setattr(extractors, "extract", counting_extract)
    try:
        with ThreadPoolExecutor(8, thread_name_prefix="lane-test") as pool:
            results = list(
                pool.map(
                    lambda i: extract_facts(
                        f"Storm kills {i + 2} people in Manila, police said.", dt.date(2026, 11, 20), None
                    ),
                    range(16),
                )
            )
    finally:
        runtime.reset_cpu_lane()
    assert peak == lanes
    assert sorted(f.value for found in results for f in found if f.kind == "killed") == list(range(2, 18))


def test_the_lane_is_reentrant_and_held_until_the_outermost_exit(settings_env):
    """The poller holds the lane for a page's main text and its facts; the extractor's own `cpu_lane()`
    inside must not wait for a second lane (with one lane that would hang), and leaving the inner one
    must not let another thread in while the outer one is still held."""
    settings_env(extract_concurrency=1)
    runtime.reset_cpu_lane()
    log: list[str] = []
    outer_in, inner_done, release = threading.Event(), threading.Event(), threading.Event()

    def holder():
        with runtime.cpu_lane():
            outer_in.set()
            with runtime.cpu_lane():
                log.append("inner")
            inner_done.set()
            release.wait(5)
            log.append("outer exit")

    def other():
        outer_in.wait(5)
        with runtime.cpu_lane():
            log.append("other")

    try:
        threads = [threading.Thread(target=holder, daemon=True), threading.Thread(target=other, daemon=True)]
        for t in threads:
            t.start()
        assert inner_done.wait(5), "a nested cpu_lane() waited for a second lane"
        time.sleep(0.1)  # the other thread would get in now if the inner exit had released the lane
        release.set()
        for t in threads:
            t.join(5)
    finally:
        runtime.reset_cpu_lane()
    assert log == ["inner", "outer exit", "other"]
