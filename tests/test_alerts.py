"""Alert rules end to end on both databases: facts committed → events + outbox → a real receiver on 127.0.0.1
that verifies every signature with standardwebhooks."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update
from sqlmodel import select

from db.models import AlertEvent, Delivery, utcnow
from tests.test_alerting_helpers import Receiver, add_endpoint, add_rule, add_source, aleppo, deliver, report


@pytest.fixture
def hook(session, receiver):
    endpoint = add_endpoint(session, receiver.url)
    receiver.secret = endpoint.secret
    return endpoint


def values(receiver) -> list[float]:
    """Fired values in the order the events were created (deliveries run concurrently)."""
    return [p["data"]["fact"]["value"] for p in sorted(receiver.payloads(), key=lambda p: p["data"]["event_id"])]


def test_threshold_fires_with_provenance(session, receiver, hook):
    rule = add_rule(session, {"type": "threshold", "value": 50}, {"kind": "killed", "country": "SY"}, [hook.id])
    wire = add_source(session, "wire")
    report(session, wire, aleppo(45))
    report(session, wire, {"kind": "killed", "value": 80, "country_code": "IQ", "place_name": "Mosul"})
    report(session, wire, aleppo(20, kind="injured"))
    article, facts, fired = report(
        session,
        wire,
        aleppo(52),
        aleppo(10, subject="children", scope="part"),
        outlet="Example News",
        title="Aleppo toll rises to 52",
    )
    assert len(fired) == 1
    deliver()
    assert all(e["verified"] for e in receiver.log) and len(receiver.log) == 1
    body = receiver.payloads()[0]
    assert body["type"] == "alert.fired" and body["timestamp"]
    data = body["data"]
    assert data["rule"] == {
        "id": rule.id,
        "name": "rule",
        "filter": {"kind": "killed", "country": "SY"},
        "condition": {"type": "threshold", "value": 50},
    }
    assert data["fact"]["value"] == 52 and data["fact"]["id"] == facts[0].id
    assert data["fact"]["sentence"] and data["fact"]["span"] == [0, 3] and data["fact"]["place_name"] == "Aleppo"
    assert data["article"]["url"] == article.url and data["article"]["title"] == "Aleppo toll rises to 52"
    assert data["article"]["outlet"] == "Example News"
    assert data["previous_value"] == 45
    delivery = session.exec(select(Delivery)).one()
    assert delivery.status == "succeeded" and delivery.attempts == 1 and delivery.response_code == 200
    assert receiver.log[0]["id"] == delivery.message_id


def test_conditions_count_totals_and_the_total_that_stands(session, receiver, hook):
    add_rule(session, {"type": "threshold", "value": 25}, {"kind": "killed"}, [hook.id])
    add_rule(session, {"type": "increase", "by": 5, "window_hours": 72}, {"kind": "killed"}, [hook.id], name="up")
    a, b, c = add_source(session, "a"), add_source(session, "b"), add_source(session, "c")
    assert report(session, a, aleppo(40, subject="children", scope="part"))[2] == []  # a part is not a toll
    # the body updates its headline: the later total in the text stands, not the higher one
    _, facts, fired = report(session, b, aleppo(29, span_start=0), aleppo(27, span_start=50))
    assert [e.fact_id for e in fired] == [facts[1].id]
    # +8 over the previous report, 27 (neither the superseded headline's 29 nor the part of 40)
    _, facts, fired = report(session, c, aleppo(35))
    assert len(fired) == 2
    deliver()
    assert values(receiver) == [27, 35, 35]
    up = [p["data"] for p in receiver.payloads() if p["data"]["rule"]["name"] == "up"]
    assert [(d["previous_value"], d["change"]["by"]) for d in up] == [(27, 8)]


def test_dedupe_across_outlets_and_revisions(session, receiver, hook):
    add_rule(session, {"type": "threshold", "value": 40}, {"kind": "killed", "location": "Aleppo"}, [hook.id])
    outlets = [add_source(session, f"outlet{i}") for i in range(20)]
    for source in outlets:  # one toll, twenty outlets
        report(session, source, aleppo(45))
    deliver()
    assert values(receiver) == [45]
    report(session, outlets[3], aleppo(52))  # a revision fires again
    report(session, outlets[4], aleppo(52))  # … once
    report(session, outlets[5], aleppo(48))  # a stale lower figure is not news
    report(session, outlets[6], aleppo(45))
    deliver()
    assert values(receiver) == [45, 52]
    assert len({e["id"] for e in receiver.accepted()}) == len(receiver.accepted()) == 2
    assert all(e["verified"] for e in receiver.log)


def test_increase_compares_with_the_previous_report(session, receiver, hook):
    add_rule(session, {"type": "increase", "by": 5, "window_hours": 72}, {"kind": "killed"}, [hook.id])
    add_rule(
        session,
        {"type": "increase", "by_percent": 50, "window_hours": 72},
        {"kind": "displaced"},
        [hook.id],
        name="pct",
    )
    a, b = add_source(session, "a"), add_source(session, "b")
    report(session, a, aleppo(40))  # first report: nothing to compare with
    report(session, b, aleppo(43))  # +3
    report(session, a, {"kind": "killed", "value": 90, "country_code": "IQ", "place_name": "Mosul"})  # other place
    report(session, b, aleppo(50), aleppo(12, subject="children", scope="part"))  # +7 over 43
    report(session, a, {"kind": "killed", "value": 9, "location": "a village"})  # no previous
    report(session, a, {"kind": "killed", "value": 30, "location": "a village"})  # +21 over 9, placed as written
    report(session, a, aleppo(1000, kind="displaced"))
    report(session, b, aleppo(1400, kind="displaced"))  # +40 %
    report(session, b, aleppo(1600, kind="displaced"))  # +60 % over 1000? no: over the highest before, 1400 (+14 %)
    report(session, a, aleppo(2200, kind="displaced"))  # +37.5 % over 1600 — still below 50 %
    report(session, a, aleppo(3500, kind="displaced"))  # +59 % over 2200
    deliver()
    fired = [
        (p["data"]["fact"]["kind"], p["data"]["fact"]["value"], p["data"]["previous_value"], p["data"]["change"])
        for p in sorted(receiver.payloads(), key=lambda p: p["data"]["event_id"])
    ]
    assert fired == [
        ("killed", 50, 43, {"by": 7, "by_percent": 16.28}),
        ("killed", 30, 9, {"by": 21, "by_percent": 233.33}),
        ("displaced", 3500, 2200, {"by": 1300, "by_percent": 59.09}),
    ]


def test_increase_window(session, receiver, hook, engine):
    add_rule(session, {"type": "increase", "by": 5, "window_hours": 1}, {"kind": "killed"}, [hook.id])
    wire = add_source(session)
    _, old, _ = report(session, wire, aleppo(40))
    from db.models import Fact

    session.exec(update(Fact).where(Fact.id == old[0].id).values(created_at=utcnow() - dt.timedelta(hours=2)))
    session.commit()
    report(session, wire, aleppo(60))  # the 40 is outside the window: no previous report
    report(session, wire, aleppo(70))  # +10 over 60
    deliver()
    assert values(receiver) == [70]


def test_new_fires_for_every_new_figure_once(session, receiver, hook):
    add_rule(session, {"type": "new"}, {"kind": ["injured", "missing"], "min_value": 5}, [hook.id])
    a, b = add_source(session, "a"), add_source(session, "b")
    report(session, a, aleppo(12, kind="injured"), aleppo(3, kind="missing"), aleppo(7, kind="killed"))
    report(session, b, aleppo(12, kind="injured"))  # the same figure elsewhere
    report(session, b, aleppo(8, kind="missing"), {"kind": "injured", "value": 30, "location": "Homs"})
    deliver()
    assert sorted(values(receiver)) == [8, 12, 30]


def test_cooldown(session, receiver, hook):
    rule = add_rule(session, {"type": "threshold", "value": 10}, {"kind": "killed"}, [hook.id], cooldown=60)
    wire = add_source(session)
    report(session, wire, aleppo(20))
    report(session, wire, aleppo(25))  # a revision inside the cooldown: quiet
    report(session, wire, {"kind": "killed", "value": 30, "country_code": "IQ", "place_name": "Mosul"})  # other series
    deliver()
    assert values(receiver) == [20, 30]
    # an hour later the figure is still being reported: the rule speaks again
    session.exec(
        update(AlertEvent).where(AlertEvent.rule_id == rule.id).values(created_at=utcnow() - dt.timedelta(minutes=61))
    )
    session.commit()
    report(session, wire, aleppo(25))
    deliver()
    assert values(receiver) == [20, 30, 25]


def test_disabled_rules_and_rollback_fire_nothing(session, receiver, hook):
    rule = add_rule(session, {"type": "new"}, {}, [hook.id])
    rule.enabled = False
    session.add(rule)
    session.commit()
    wire = add_source(session)
    report(session, wire, aleppo(5))
    rule.enabled = True
    session.add(rule)
    session.commit()
    # the alert and its delivery belong to the facts' transaction: rolled back together. (The poller writes before
    # storing articles; a write first also makes pysqlite open the transaction the savepoint nests in.)
    wire.name = "renamed"
    session.add(wire)
    session.flush()
    _, _, fired = report(session, wire, aleppo(6), commit=False)
    assert fired
    session.rollback()
    assert session.exec(select(AlertEvent)).all() == [] and session.exec(select(Delivery)).all() == []
    deliver()
    assert receiver.log == []


def test_one_event_many_endpoints_disabled_endpoint_holds(session, receiver, hook):
    other = Receiver()
    try:
        second = add_endpoint(session, other.url, enabled=False)
        other.secret = second.secret
        add_rule(session, {"type": "new"}, {}, [hook.id, second.id, 999])
        report(session, add_source(session), aleppo(5))
        deliver()
        assert len(receiver.accepted()) == 1 and other.log == []
        held = session.exec(select(Delivery).where(Delivery.endpoint_id == second.id)).one()
        assert held.status == "pending"
        second.enabled = True
        session.add(second)
        session.commit()
        deliver()
        assert len(other.accepted()) == 1
        assert other.accepted()[0]["payload"] == receiver.accepted()[0]["payload"]
        assert other.accepted()[0]["id"] != receiver.accepted()[0]["id"]  # one webhook-id per endpoint
    finally:
        other.close()


def test_source_failing_and_recovery(session, receiver, hook):
    from service.alerting.rules import evaluate_source_health

    wire = add_source(session, "flaky")
    quiet = add_source(session, "quiet")
    add_rule(session, {"type": "source_failing", "failures": 2}, {"source_id": wire.id}, [hook.id])
    add_rule(session, {"type": "source_failing", "failures": None, "silent_hours": 6}, {}, [hook.id], name="silent")

    def poll(source, failures, error=None, last_article_at=None):
        source.consecutive_failures = failures
        source.status = "failing" if failures else "ok"
        source.last_error = error
        if last_article_at:
            source.last_article_at = last_article_at
        session.add(source)
        evaluate_source_health(session, source)
        session.commit()

    for n in (1, 2, 3, 4):
        poll(wire, n, "HTTP 500")
    poll(wire, 0)
    poll(wire, 0)
    poll(wire, 1, "timeout")
    poll(wire, 2, "timeout")  # a second episode
    poll(quiet, 0, last_article_at=utcnow() - dt.timedelta(hours=7))
    poll(quiet, 0)
    poll(quiet, 0, last_article_at=utcnow())
    deliver()
    accepted = sorted(receiver.accepted(), key=lambda e: e["payload"]["data"]["event_id"])
    kinds = [(e["payload"]["type"], e["payload"]["data"]["source"]["id"]) for e in accepted]
    assert kinds == [
        ("source.failing", wire.id),
        ("source.recovered", wire.id),
        ("source.failing", wire.id),
        ("source.failing", quiet.id),
        ("source.recovered", quiet.id),
    ]
    first = accepted[0]["payload"]["data"]
    assert "2 failed polls in a row" in first["reason"] and "HTTP 500" in first["reason"]
    assert all(e["verified"] for e in receiver.log)


def test_poll_failures_fire_source_alert(session, receiver, hook, local_server):
    """Through the real poller: a feed that answers 500 twice, then a valid feed."""
    from service.ingest.polling import run_cycle

    feed = local_server.route("/feed.xml", "oops", status=500)
    from db.models import Source

    source = Source(name="local", url=feed)
    session.add(source)
    session.commit()
    add_rule(session, {"type": "source_failing", "failures": 2}, {}, [hook.id])
    run_cycle(force=True)
    run_cycle(force=True)
    local_server.route(
        "/feed.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><guid>1</guid><title>Quiet day</title><description>Nothing.</description></item>"
        "</channel></rss>",
    )
    run_cycle(force=True)
    deliver()
    accepted = sorted(receiver.accepted(), key=lambda e: e["payload"]["data"]["event_id"])
    assert [e["payload"]["type"] for e in accepted] == ["source.failing", "source.recovered"]


def test_events_survive_reextraction_and_source_removal(session, receiver, hook):
    """Re-extraction deletes facts and a source without articles can be deleted: the events keep their snapshot."""
    from sqlalchemy import delete

    from db.models import Fact, Source
    from service.alerting.rules import evaluate_source_health

    add_rule(session, {"type": "new"}, {}, [hook.id])
    add_rule(session, {"type": "source_failing", "failures": 1}, {}, [hook.id], name="health")
    wire = add_source(session)
    _, facts, _ = report(session, wire, aleppo(9))
    lonely = add_source(session, "lonely")
    lonely.consecutive_failures = 1
    evaluate_source_health(session, lonely)
    session.commit()
    session.exec(delete(Fact).where(Fact.id == facts[0].id))
    session.exec(delete(Source).where(Source.id == lonely.id))
    session.commit()
    session.expire_all()
    events = session.exec(select(AlertEvent).order_by(AlertEvent.id)).all()
    assert [(e.fact_id, e.source_id) for e in events] == [(None, wire.id), (None, None)]
    assert events[0].payload["data"]["fact"]["value"] == 9
    deliver()
    assert len(receiver.accepted()) == 2
