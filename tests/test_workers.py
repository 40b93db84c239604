"""Three `tollwatch worker` processes on one PostgreSQL, 200 local feeds, one worker SIGKILLed mid-cycle:
every item is stored exactly once, the dead worker's sources are redone by the others, and SIGTERM
stops the survivors cleanly with no lease left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, func, text
from sqlmodel import Session, select

from db.models import Article, Fact, PollLog, Source
from tests.conftest import REPO, create_pg_database, drop_pg_database
from tests.test_poll import article_page, rss, send_page

FEEDS, ITEMS = 200, 5


@pytest.mark.slow
@pytest.mark.postgres
def test_three_workers_one_killed_every_item_exactly_once(local_server, tmp_path):
    url = create_pg_database()
    engine = create_engine(url)
    procs: list[subprocess.Popen] = []
    try:
        env = {
            **os.environ,
            "TOLLWATCH_DATABASE_URL": url,
            "TOLLWATCH_ALLOW_PRIVATE_URLS": "true",
            "TOLLWATCH_DEMO_SOURCE": "false",
            "TOLLWATCH_LEASE_SECONDS": "6",
            "TOLLWATCH_STARTUP_JITTER_SECONDS": "0",
            "TOLLWATCH_POLL_EVERY_SECONDS": "1",
            "TOLLWATCH_PER_HOST_CONCURRENCY": "16",
            "TOLLWATCH_POLL_CONCURRENCY": "6",
            "TOLLWATCH_LOG_JSON": "false",
            "TOLLWATCH_LOG_LEVEL": "WARNING",
        }
        subprocess.run(
            [sys.executable, "-m", "service.cli", "migrate"],
            env=env,
            cwd=REPO,
            check=True,
            capture_output=True,
            timeout=120,
        )

        page_body = article_page("Storm in the valley kills 8").encode()

        def slow_page(h):
            time.sleep(0.03)  # so that a cycle takes a while and the kill lands mid-cycle
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Content-Length", str(len(page_body)))
            h.end_headers()
            h.wfile.write(page_body)

        expected = set()
        with Session(engine) as session:
            for f in range(FEEDS):
                items = []
                for i in range(ITEMS):
                    local_server.route(f"/w{f}/{i}", handler=slow_page)
                    items.append(
                        {
                            "guid": f"w{f}-{i}",
                            "title": f"Storm {f}-{i} kills {i + 3} people",
                            "link": local_server.url(f"/w{f}/{i}"),
                        }
                    )
                    expected.add(local_server.url(f"/w{f}/{i}"))
                session.add(
                    Source(
                        name=f"feed {f}", url=local_server.route(f"/w{f}.xml", rss(items)), poll_interval_seconds=3600
                    )
                )
            session.commit()

        for n in range(3):
            log = open(tmp_path / f"worker{n}.log", "wb")
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "service.cli", "worker"],
                    env=env,
                    cwd=REPO,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        t_start = time.monotonic()

        def count(query, **params):
            with engine.connect() as conn:
                return conn.execute(text(query), params).scalar()

        def leases_of(proc) -> set[int]:
            with engine.connect() as conn:
                rows = conn.execute(
                    text("SELECT id FROM sources WHERE lease_owner LIKE :pat"), {"pat": f"%:{proc.pid}#%"}
                )
                return {r[0] for r in rows}

        # Kill a worker while it holds leases and some articles are already stored. Whichever worker that is:
        # on a loaded machine the first one started is not always the first to claim (a slow start can find
        # the others done with every source).
        deadline = time.monotonic() + 120
        victim, victim_sources = None, set()
        while time.monotonic() < deadline and victim is None:
            if count("SELECT count(*) FROM articles") >= FEEDS * ITEMS // 10:
                victim, victim_sources = next(((p, held) for p in procs if (held := leases_of(p))), (None, set()))
            time.sleep(0.05)
        assert victim is not None, "no worker held a lease: " + (tmp_path / "worker0.log").read_text()[-2000:]
        survivors = [p for p in procs if p is not victim]
        held = len(victim_sources)
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        stored_at_kill = count("SELECT count(*) FROM articles")
        print(f"killed after {time.monotonic() - t_start:.1f} s with {stored_at_kill} stored, {held} leased")
        assert stored_at_kill < FEEDS * ITEMS, "the cycle was over before the kill"

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if count("SELECT count(*) FROM sources WHERE last_success_at IS NOT NULL") == FEEDS:
                break
            for p in survivors:
                assert p.poll() is None, (tmp_path / f"worker{procs.index(p)}.log").read_text()[-3000:]
            time.sleep(0.25)

        print(f"all stored after {time.monotonic() - t_start:.1f} s")
        with Session(engine) as session:
            arts = session.exec(select(Article)).all()
            urls = [a.url for a in arts]
            assert len(urls) == len(set(urls)), "an item was stored twice"
            assert set(urls) == expected, f"{len(expected - set(urls))} items missing"
            facts = dict(session.exec(select(Fact.article_id, func.count()).group_by(Fact.article_id)).all())
            assert all(facts.get(a.id, 0) == a.fact_count for a in arts)  # no facts stored twice either
            sources = session.exec(select(Source)).all()
            assert all(s.status == "ok" for s in sources)
            # what the dead worker had in hand was redone by a survivor
            redone = session.exec(
                select(PollLog.source_id).where(PollLog.source_id.in_(victim_sources), PollLog.outcome == "ok")
            ).all()
            assert set(redone) == victim_sources

        for p in survivors:
            p.send_signal(signal.SIGTERM)
        for p in survivors:
            assert p.wait(60) == 0
        assert count("SELECT count(*) FROM sources WHERE lease_owner IS NOT NULL") == 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(10)
        engine.dispose()
        drop_pg_database(url)


@pytest.mark.slow
def test_sigterm_mid_poll_gives_the_work_back(local_server, tmp_path):
    """A real `tollwatch worker` (SQLite) gets SIGTERM while it polls slow pages: it exits 0 promptly,
    holds no lease, logs the polls as interrupted, and the sources are due again at once."""
    url = f"sqlite:///{tmp_path / 'tw.db'}"
    env = {
        **os.environ,
        "TOLLWATCH_DATABASE_URL": url,
        "TOLLWATCH_ALLOW_PRIVATE_URLS": "true",
        "TOLLWATCH_DEMO_SOURCE": "false",
        "TOLLWATCH_STARTUP_JITTER_SECONDS": "0",
        "TOLLWATCH_POLL_EVERY_SECONDS": "1",
        "TOLLWATCH_PAGE_CONCURRENCY": "1",
        "TOLLWATCH_LOG_JSON": "false",
        "TOLLWATCH_MAX_PENDING_ARTICLES": "1000",
    }  # all three sources in hand at once
    subprocess.run(
        [sys.executable, "-m", "service.cli", "migrate"],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )

    def slow_page(h):
        time.sleep(0.5)
        send_page(h, "Storm kills 8")

    engine = create_engine(url)
    with Session(engine) as session:
        for f in range(3):
            items = []
            for i in range(20):
                local_server.route(f"/t{f}/{i}", handler=slow_page)
                items.append(
                    {
                        "guid": f"t{f}-{i}",
                        "title": f"Storm {f}-{i} kills {i + 1}",
                        "link": local_server.url(f"/t{f}/{i}"),
                    }
                )
            session.add(Source(name=f"t{f}", url=local_server.route(f"/t{f}.xml", rss(items))))
        session.commit()
    proc = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "worker"],
        env=env,
        cwd=REPO,
        stdout=open(tmp_path / "worker.log", "wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                if conn.execute(text("SELECT count(*) FROM sources WHERE lease_owner IS NOT NULL")).scalar() == 3:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("the worker never leased the sources: " + (tmp_path / "worker.log").read_text()[-2000:])
        time.sleep(1.0)  # mid-poll: pages are being fetched
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0  # without STOPPING it would finish all 60 pages and store them (checked below)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    with Session(engine) as session:
        sources = session.exec(select(Source)).all()
        assert all(s.lease_owner is None for s in sources)
        assert all(s.consecutive_failures == 0 and s.etag is None for s in sources)
        outcomes = session.exec(select(PollLog.outcome)).all()
        assert outcomes and set(outcomes) == {"interrupted"}
        # what was stored before the signal is whole (its facts with it); the rest was given back
        stored = session.exec(select(Article)).all()
        assert len(stored) < 60
        for article in stored:
            assert (
                article.fact_count
                == session.exec(select(func.count()).select_from(Fact).where(Fact.article_id == article.id)).one()
                > 0
            )
    engine.dispose()
