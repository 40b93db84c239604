"""Shared by the alerting tests: a real webhook receiver on 127.0.0.1 that verifies every signature with the
standardwebhooks verifier, and helpers that store articles and facts through service.ingest.store.store_articles,
as the poller does (without the extractor, which these tests must not depend on)."""

from __future__ import annotations

import collections
import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlmodel import Session
from standardwebhooks import Webhook

from db.models import AlertRule, Article, Fact, Source, WebhookEndpoint, utcnow


class Receiver:
    """`respond(n, message_id, payload)` decides the answer to the n-th request (1-based) for a message:
    an int status, a (status, headers, body) tuple, "drop" (close without answering) or a callable
    taking the request handler (writes the whole response itself)."""

    def __init__(self, secret: str | None = None):
        self.secret = secret
        self.lock = threading.Lock()
        self.log: list[dict] = []
        self.counts: collections.Counter = collections.Counter()
        self.respond: Callable = lambda n, message_id, payload: 200
        self.arrived = threading.Condition(self.lock)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                if len(body) < length:  # the sender died mid-request (SIGKILL tests): nothing to verify
                    with receiver.lock:
                        receiver.log.append(
                            {
                                "id": headers.get("webhook-id"),
                                "incomplete": True,
                                "verified": None,
                                "payload": {},
                                "at": time.time(),
                            }
                        )
                    self.close_connection = True
                    return
                try:
                    payload = Webhook(receiver.secret).verify(body, headers)
                    verified = True
                except Exception as exc:  # recorded and answered 400: the test asserts on `verified`
                    payload, verified = {"error": str(exc)}, False
                message_id = headers.get("webhook-id")
                with receiver.lock:
                    receiver.counts[message_id] += 1
                    n = receiver.counts[message_id]
                answer = receiver.respond(n, message_id, payload) if verified else 400
                entry = {
                    "id": message_id,
                    "timestamp": headers.get("webhook-timestamp"),
                    "payload": payload,
                    "verified": verified,
                    "n": n,
                    "answer": answer if isinstance(answer, (int, str)) else "custom",
                    "at": time.time(),
                }
                if isinstance(answer, (int, tuple)):
                    status, extra, reply = (answer, {}, b"ok") if isinstance(answer, int) else answer
                    entry["status"] = status
                # Logged before answering: once the sender has its answer, the test sees the request.
                with receiver.lock:
                    receiver.log.append(entry)
                    receiver.arrived.notify_all()
                try:
                    if answer == "drop":
                        self.close_connection = True
                        self.connection.shutdown(2)
                    elif callable(answer):
                        answer(self)
                    else:
                        self.send_response(status)
                        for key, value in extra.items():
                            self.send_header(key, value)
                        self.send_header("Content-Length", str(len(reply)))
                        self.end_headers()
                        self.wfile.write(reply)
                except OSError:
                    entry["error"] = "connection broken"
                    entry.pop("status", None)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    # views
    def accepted(self) -> list[dict]:
        """Requests that verified and were answered 2xx."""
        with self.lock:
            return [e for e in self.log if e["verified"] and 200 <= (e.get("status") or 0) < 300]

    def complete(self) -> list[dict]:
        """Requests that arrived whole (a killed sender may leave one cut short)."""
        with self.lock:
            return [e for e in self.log if not e.get("incomplete")]

    def payloads(self, event_type: str = "alert.fired") -> list[dict]:
        return [e["payload"] for e in self.accepted() if e["payload"].get("type") == event_type]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
        end = time.time() + timeout
        while time.time() < end:
            if predicate():
                return True
            time.sleep(0.02)
        return predicate()


def add_endpoint(session: Session, url: str, enabled: bool = True) -> WebhookEndpoint:
    from service.alerting.webhooks import new_secret

    endpoint = WebhookEndpoint(url=url, secret=new_secret(), enabled=enabled)
    session.add(endpoint)
    session.commit()
    session.refresh(endpoint)
    return endpoint


def add_rule(
    session: Session, condition: dict, filter: dict | None = None, webhook_ids=(), cooldown: int = 0, name: str = "rule"
) -> AlertRule:
    rule = AlertRule(
        name=name, filter=filter or {}, condition=condition, webhook_ids=list(webhook_ids), cooldown_minutes=cooldown
    )
    session.add(rule)
    session.commit()
    session.refresh(rule)
    return rule


def add_source(session: Session, name: str = "wire") -> Source:
    source = Source(name=name, url=f"http://127.0.0.1/{name}/{time.time_ns()}.xml")
    session.add(source)
    session.commit()
    session.refresh(source)
    return source


_counter = [0]


def report(
    session: Session,
    source: Source,
    *facts: dict,
    outlet: str | None = None,
    title: str | None = None,
    commit: bool = True,
) -> tuple[Article, list[Fact], list]:
    """Store one article with `facts` (dicts: kind, value, place/country/location…) through the poller's own
    store (`service.ingest.store.store_articles`, which evaluates the alert rules in the same transaction) and
    commit. Returns the article, its facts and the alerts fired."""
    from sqlmodel import select

    from extractors import FactBase
    from service.ingest.store import Prepared, store_articles

    _counter[0] += 1
    n = _counter[0]
    found = []
    for spec in facts:
        spec = dict(spec)
        sentence = spec.pop("sentence", f"{spec['value']:g} people were {spec['kind']}.")
        start = spec.pop("span_start", 0)
        found.append(
            FactBase(
                span_start=start,
                span_end=start + 3,
                sentence=sentence,
                unit=spec.pop("unit", "people"),
                date=spec.pop("date", dt.date.today()),
                **spec,
            )
        )
    item = Prepared(
        key=f"k{n}-{time.time_ns()}",
        guid=None,
        url=f"https://news.example/{n}",
        canonical_url=f"https://news.example/{n}",
        title=title or f"Report {n}",
        text="…",
        text_origin="feed",
        published_at=utcnow(),
        outlet=outlet or source.name,
        content_hash=None,
        fetched_at=utcnow(),
        facts=found,
    )
    [stored] = store_articles(session, source, [item])
    article = session.get(Article, stored.article_id)
    rows = list(session.exec(select(Fact).where(Fact.article_id == article.id).order_by(Fact.id)).all())
    if commit:
        session.commit()
    return article, rows, stored.alerts


def aleppo(value: float, kind: str = "killed", **extra) -> dict:
    return {"kind": kind, "value": value, "location": "Aleppo", "place_name": "Aleppo", "country_code": "SY", **extra}


def deliver(timeout: float = 30.0, horizon: float = 0.0) -> int:
    from service.alerting import dispatch

    return dispatch.run_until_idle(timeout, horizon)


def body_of(entry: dict) -> dict:
    return entry["payload"]


def dumps(obj) -> str:
    return json.dumps(obj, default=str)
