"""The `tollwatch` command: guard rails a newcomer meets first."""

import os
import subprocess
import sys

TOLLWATCH = [sys.executable, "-m", "service.cli"]


def test_serve_refuses_several_workers_with_the_scheduler_on(tmp_path):
    env = {**os.environ, "TOLLWATCH_DATABASE_URL": f"sqlite:///{tmp_path}/t.db", "TOLLWATCH_SCHEDULER": "true"}
    proc = subprocess.run(TOLLWATCH + ["serve", "--workers", "2"], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2
    assert "TOLLWATCH_SCHEDULER=false" in proc.stderr


def test_sources_add_refuses_a_bad_url(tmp_path):
    env = {**os.environ, "TOLLWATCH_DATABASE_URL": f"sqlite:///{tmp_path}/t.db", "TOLLWATCH_DEMO_SOURCE": "false"}
    proc = subprocess.run(
        TOLLWATCH + ["sources", "add", "gopher://example.org/feed"], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 2 and "scheme" in proc.stderr


def test_sources_add_twice_says_it_exists(tmp_path):
    env = {**os.environ, "TOLLWATCH_DATABASE_URL": f"sqlite:///{tmp_path}/t.db", "TOLLWATCH_DEMO_SOURCE": "false"}
    feed = (tmp_path / "feed.xml").as_uri()
    first = subprocess.run(TOLLWATCH + ["sources", "add", feed], capture_output=True, text=True, env=env, timeout=60)
    assert first.returncode == 0 and '"url": "' + feed in first.stdout
    again = subprocess.run(TOLLWATCH + ["sources", "add", feed], capture_output=True, text=True, env=env, timeout=60)
    assert again.returncode == 2 and "exists already" in again.stderr
