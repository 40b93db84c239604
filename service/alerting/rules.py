"""Alert rule evaluation. Called inside the transaction that stores facts / source health,
so an alert and its outbox deliveries commit together with what caused them.

A fact rule watches *series*: one kind, unit and place (the resolved place when the gazetteer knows
it, else the place as written). Only totals count: a part ("10 of them children") is never a report.
Per article and series the total that stands is the candidate, as in /series and /tolls: the one with
the latest date, then the later in the text (a body that updates its headline); a `new` rule takes
every distinct total.

* dedupe — an event's key is (kind, unit, place, value): the unique constraint on (rule, key) makes one
  toll repeated by twenty outlets, or stored by two workers at once, fire once; a revision (45 → 52)
  is a new key and fires again.
* threshold — value ≥ N, and higher than anything this rule already reported for the series in the
  last REVISION_WINDOW (a stale or partial lower figure is not news).
* increase — value exceeds the *previous report* by ≥ `by` or ≥ `by_percent` %: the highest value
  reported for the same kind and place by other articles within `window_hours`. Facts without a
  place are not compared (unrelated unplaced figures would look like increases).
* cooldown — after a rule fires for a series, it stays quiet for that series for `cooldown_minutes`;
  what it would have fired is dropped (a later report of the figure can fire once the cooldown ends).
* source_failing — a source failed `failures` polls in a row, or produced no article for
  `silent_hours`: `source.failing` once per episode, `source.recovered` when it is healthy again.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from db.engine import is_database_fault, savepoint
from db.models import AlertEvent, AlertRule, Article, Delivery, Fact, Source, WebhookEndpoint, utcnow
from db.queries import FactFilter, reports_only
from service.alerting import dispatch, webhooks

log = logging.getLogger("tollwatch.alerts")

FACT_CONDITIONS = ("threshold", "increase", "new")
SOURCE_CONDITIONS = ("source_failing",)
REVISION_WINDOW = dt.timedelta(days=7)
PREVIOUS_WINDOW = dt.timedelta(days=7)  # how far back `previous_value` looks for threshold/new rules


# --- keys ------------------------------------------------------------------------------------------


def place_key(fact: Fact) -> str:
    """Where a fact is, for comparing: the resolved place (country:name) or '@' + the place as written."""
    if fact.place_name:
        return f"{(fact.country_code or '').upper()}:{fact.place_name.lower()}"
    if fact.location:
        return "@" + " ".join(fact.location.lower().split())[:150]
    return ""


def series_key(fact: Fact) -> str:
    """The series a fact belongs to: kind, unit and place."""
    return f"{fact.kind}|{fact.unit}|{place_key(fact)}"[:260]


def _value_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def dedupe_key(fact: Fact) -> str:
    """An alert's identity for a fact rule: its series and value (a repeat of it fires once)."""
    return f"{series_key(fact)}|{_value_text(fact.value)}"


def _num(value: float | None) -> float | int | None:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- payloads --------------------------------------------------------------------------------------


def rule_summary(rule: AlertRule) -> dict[str, Any]:
    """The rule as a webhook body carries it."""
    return {"id": rule.id, "name": rule.name, "filter": rule.filter, "condition": rule.condition}


def fact_payload(fact: Fact) -> dict[str, Any]:
    """A fact as a webhook body carries it: the fact schema plus its id, article and version."""
    data = fact.as_contract()
    data.update(
        id=fact.id,
        article_id=fact.article_id,
        extractor_version=fact.extractor_version,
        created_at=_iso(fact.created_at),
    )
    return data


def article_payload(session: Session, article: Article) -> dict[str, Any]:
    """The article (and its feed) a fact came from, as a webhook body carries it."""
    source = session.get(Source, article.source_id)
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "outlet": article.outlet,
        "published_at": _iso(article.published_at),
        "fetched_at": _iso(article.fetched_at),
        "feed": {
            "id": article.source_id,
            "name": source.name if source else None,
            "url": source.url if source else None,
        },
    }


def source_payload(source: Source) -> dict[str, Any]:
    """A source's health, as the body of `source.failing` / `source.recovered` carries it."""
    return {
        "id": source.id,
        "name": source.name,
        "url": source.url,
        "status": source.status,
        "enabled": source.enabled,
        "consecutive_failures": source.consecutive_failures,
        "last_error": source.last_error,
        "last_error_at": _iso(source.last_error_at),
        "last_success_at": _iso(source.last_success_at),
        "last_article_at": _iso(source.last_article_at),
        "last_polled_at": _iso(source.last_polled_at),
    }


def envelope(event_type: str, data: dict[str, Any], at: dt.datetime | None = None) -> dict[str, Any]:
    """The Standard Webhooks body: `{type, timestamp, data}`."""
    return {"type": event_type, "timestamp": (at or utcnow()).isoformat(), "data": data}


# --- firing ----------------------------------------------------------------------------------------


def _fire(
    session: Session,
    rule: AlertRule,
    *,
    event_type: str,
    key: str,
    series: str,
    data: dict[str, Any],
    fact_id: int | None = None,
    source_id: int | None = None,
    value: float | None = None,
) -> AlertEvent | None:
    """Insert the event and one outbox delivery per endpoint; None when the key fired already."""
    now = utcnow()
    event = AlertEvent(
        rule_id=rule.id,
        fact_id=fact_id,
        source_id=source_id,
        dedupe_key=key[:300],
        series_key=series[:300],
        value=value,
        event_type=event_type,
        payload={},
        created_at=now,
    )
    try:
        with session.begin_nested():  # a concurrent transaction that fired the same key wins; we skip
            session.add(event)
            session.flush()
    except IntegrityError:
        return None
    body = envelope(event_type, {"event_id": event.id, "rule": rule_summary(rule), **data}, now)
    event.payload = body
    deliveries: list[tuple[Delivery, WebhookEndpoint]] = []
    for endpoint_id in dict.fromkeys(rule.webhook_ids or []):
        endpoint = session.get(WebhookEndpoint, endpoint_id)
        if endpoint is None:
            continue  # deleted since the rule was written
        # Deliveries to a disabled endpoint are kept pending (held) and go out when it is enabled again.
        owner, expires = dispatch.lease_for_new(session) if endpoint.enabled else (None, None)
        deliveries.append(
            (
                Delivery(
                    event_id=event.id,
                    endpoint_id=endpoint_id,
                    message_id=webhooks.new_message_id(),
                    payload=body,
                    status="pending",
                    next_attempt_at=now,
                    created_at=now,
                    lease_owner=owner,
                    lease_expires_at=expires,
                ),
                endpoint,
            )
        )
    session.add_all([d for d, _ in deliveries])
    rule.last_fired_at = now
    session.add(rule)
    session.add(event)
    session.flush()
    # The outbox rows commit with the caller's transaction; the commit (and only it) sends them.
    dispatch.send_after_commit(session, deliveries)
    log.info(
        "alert fired", extra={"rule_id": rule.id, "event_id": event.id, "event_type": event_type, "dedupe_key": key}
    )
    return event


def _in_cooldown(session: Session, rule: AlertRule, series: str, now: dt.datetime) -> bool:
    if not rule.cooldown_minutes:
        return False
    since = now - dt.timedelta(minutes=rule.cooldown_minutes)
    return (
        session.exec(
            select(AlertEvent.id)
            .where(
                AlertEvent.rule_id == rule.id,
                AlertEvent.series_key == series,
                AlertEvent.created_at >= since,
                AlertEvent.event_type != "source.recovered",
            )
            .limit(1)
        ).first()
        is not None
    )


def _already_reported_higher(session: Session, rule: AlertRule, series: str, value: float, now: dt.datetime) -> bool:
    return (
        session.exec(
            select(AlertEvent.id)
            .where(
                AlertEvent.rule_id == rule.id,
                AlertEvent.series_key == series,
                AlertEvent.value >= value,
                AlertEvent.created_at >= now - REVISION_WINDOW,
            )
            .limit(1)
        ).first()
        is not None
    )


def previous_value(session: Session, fact: Fact, since: dt.datetime) -> float | None:
    """The highest total other articles reported for the same kind, unit and place since `since` (their reports:
    the total that stands in each article, as `db.queries.reports_only` defines it)."""
    if fact.place_name:
        where = [Fact.place_name == fact.place_name]
        where.append(Fact.country_code == fact.country_code if fact.country_code else Fact.country_code.is_(None))
    elif fact.location:
        where = [Fact.place_name.is_(None), func.lower(Fact.location) == fact.location.lower()]
    else:
        return None
    return session.exec(
        reports_only(
            select(func.max(Fact.value)).where(
                Fact.kind == fact.kind,
                Fact.unit == fact.unit,
                Fact.article_id != fact.article_id,
                Fact.id < fact.id,
                Fact.created_at >= since,
                *where,
            )
        )
    ).first()


def _fact_filter(spec: dict[str, Any]) -> FactFilter:
    kind = spec.get("kind")
    return FactFilter(
        kind=[kind] if isinstance(kind, str) else (list(kind) if kind else None),
        location=spec.get("location"),
        country=spec.get("country"),
        subject=spec.get("subject"),
        source=spec.get("source"),
        min_value=spec.get("min_value"),
    )


def _matching(session: Session, rule: AlertRule, facts: list[Fact]) -> list[Fact]:
    by_id = {f.id: f for f in facts}
    query = _fact_filter(rule.filter or {}).apply(select(Fact.id).where(Fact.id.in_(list(by_id))))
    return [by_id[i] for i in session.exec(query).all()]


def _candidates(rule: AlertRule, facts: list[Fact]) -> list[Fact]:
    ordered = sorted(facts, key=lambda f: (-f.value, f.id))
    if rule.condition.get("type") == "new":
        seen, out = set(), []
        for fact in ordered:
            if dedupe_key(fact) not in seen:
                seen.add(dedupe_key(fact))
                out.append(fact)
        return out
    best: dict[str, Fact] = {}
    for fact in sorted(facts, key=_stands_order, reverse=True):
        best.setdefault(series_key(fact), fact)
    return list(best.values())


def _active_rules(session: Session, conditions: tuple[str, ...]) -> list[AlertRule]:
    """Enabled rules of these condition types, minus those whose evaluation raised (until they are edited)."""
    query = select(AlertRule).where(AlertRule.enabled.is_(True), AlertRule.errored_at.is_(None)).order_by(AlertRule.id)
    return [r for r in session.exec(query) if (r.condition or {}).get("type") in conditions]


def _stands_order(fact: Fact) -> tuple:
    """Of one article's totals for a series, the greatest stands: latest date, then later in the text."""
    return (fact.date or dt.date.min, fact.span_start, fact.id)


def fact_rules(session: Session) -> list[AlertRule]:
    """The enabled rules that watch facts (one query; a poller asks once per batch of articles)."""
    return _active_rules(session, FACT_CONDITIONS)


def _mark_errored(session: Session, rule: AlertRule, exc: Exception) -> None:
    """A rule that raised: logged, marked errored (skipped until edited), and the evaluation goes on without it."""
    log.error("alert rule failed; it is skipped until edited", exc_info=exc, extra={"rule_id": rule.id})
    rule.errored_at = utcnow()
    rule.last_error = f"{type(exc).__name__}: {exc}"[:500]
    session.add(rule)


def _isolated(session: Session, rule: AlertRule, evaluate) -> list[AlertEvent]:
    """Run `evaluate()` for one rule in a savepoint: if it raises, the rule is marked errored and what it
    wrote is undone, and the other rules, the facts and the poll go on. Database faults are raised."""
    try:
        with savepoint(session):
            return evaluate()
    except Exception as exc:  # noqa: BLE001 — one rule must not cost the others
        if is_database_fault(exc):
            raise
        _mark_errored(session, rule, exc)
        return []


def evaluate_facts(
    session: Session,
    article: Article,
    facts: list[Fact],
    rules: list[AlertRule] | None = None,
    isolate_rules: bool = False,
) -> list[AlertEvent]:
    """Fire the rules that the new `facts` (already inserted, with ids) match; `rules` as `fact_rules` gives.

    With `isolate_rules`, each rule runs in a savepoint and one that raises is marked errored and skipped
    (the store does so when a batch failed); without, an error is raised to the caller."""
    facts = [f for f in facts if f.id is not None and f.scope == "total"]
    if not facts:
        return []
    if rules is None:
        rules = fact_rules(session)
    if not rules:
        return []
    now = utcnow()
    fired: list[AlertEvent] = []
    article_data: dict[str, Any] = {}
    seen_previous: dict[tuple, float | None] = {}

    def previous(fact: Fact, window: dt.timedelta) -> float | None:
        # Other articles only: the same for every fact of this article in one series.
        key = (series_key(fact), fact.place_name, fact.country_code, (fact.location or "").lower(), window)
        if key not in seen_previous:
            seen_previous[key] = previous_value(session, fact, now - window)
        return seen_previous[key]

    def evaluate(rule: AlertRule) -> list[AlertEvent]:
        events: list[AlertEvent] = []
        cond = rule.condition
        kind = cond["type"]
        matched = _matching(session, rule, facts)
        for fact in _candidates(rule, matched):
            series, key = series_key(fact), dedupe_key(fact)
            change: dict[str, Any] | None = None
            if kind == "increase":
                window = dt.timedelta(hours=float(cond.get("window_hours") or 72))
                prev = previous(fact, window)
                if prev is None or fact.value <= prev:
                    continue
                delta = fact.value - prev
                pct = delta / prev * 100 if prev > 0 else None
                by, by_percent = cond.get("by"), cond.get("by_percent")
                if not (
                    (by is not None and delta >= by)
                    or (by_percent is not None and pct is not None and pct >= by_percent)
                ):
                    continue
                change = {"by": _num(delta), "by_percent": round(pct, 2) if pct is not None else None}
            else:
                if kind == "threshold":
                    if fact.value < float(cond.get("value", 0)):
                        continue
                    if _already_reported_higher(session, rule, series, fact.value, now):
                        continue
                prev = previous(fact, PREVIOUS_WINDOW)
            if session.exec(
                select(AlertEvent.id).where(AlertEvent.rule_id == rule.id, AlertEvent.dedupe_key == key)
            ).first():
                continue  # the same figure fired already (another outlet, another poll)
            if _in_cooldown(session, rule, series, now):
                log.info("alert suppressed by cooldown", extra={"rule_id": rule.id, "dedupe_key": key})
                continue
            if not article_data:
                article_data.update(article_payload(session, article))
            data = {"fact": fact_payload(fact), "article": article_data, "previous_value": _num(prev)}
            if change is not None:
                data["change"] = change
            event = _fire(
                session,
                rule,
                event_type="alert.fired",
                key=key,
                series=series,
                data=data,
                fact_id=fact.id,
                source_id=article.source_id,
                value=fact.value,
            )
            if event is not None:
                events.append(event)
        return events

    for rule in rules:
        fired += _isolated(session, rule, lambda: evaluate(rule)) if isolate_rules else evaluate(rule)
    return fired


def _last_health_event(session: Session, rule: AlertRule, source: Source) -> AlertEvent | None:
    return session.exec(
        select(AlertEvent)
        .where(
            AlertEvent.rule_id == rule.id,
            AlertEvent.source_id == source.id,
            AlertEvent.event_type.in_(("source.failing", "source.recovered")),
        )
        .order_by(AlertEvent.id.desc())
        .limit(1)
    ).first()


def evaluate_source_health(session: Session, source: Source) -> list[AlertEvent]:
    """Fire or recover `source_failing` rules after a poll updated `source`'s health."""
    rules = _active_rules(session, SOURCE_CONDITIONS)
    if not rules or source.id is None:
        return []
    now = utcnow()
    fired: list[AlertEvent] = []
    for rule in rules:
        wanted = (rule.filter or {}).get("source_id")
        if wanted is not None and int(wanted) != source.id:
            continue
        fired += _isolated(session, rule, lambda: _evaluate_health_rule(session, rule, source, now))
    return fired


def _evaluate_health_rule(session: Session, rule: AlertRule, source: Source, now: dt.datetime) -> list[AlertEvent]:
    """One `source_failing` rule after a poll of `source`: the event it fires or recovers, if any."""
    cond = rule.condition
    failures, silent_hours = cond.get("failures"), cond.get("silent_hours")
    reason = None
    if failures and source.consecutive_failures >= int(failures):
        reason = f"{source.consecutive_failures} failed polls in a row (last error: {source.last_error})"
    elif silent_hours:
        last_article = source.last_article_at or source.created_at
        if last_article is not None and now - last_article >= dt.timedelta(hours=float(silent_hours)):
            reason = f"no new article for {float(silent_hours):g} h (last: {_iso(source.last_article_at) or 'never'})"
    series = f"source:{source.id}"
    last = _last_health_event(session, rule, source)
    open_event = last if last is not None and last.event_type == "source.failing" else None
    data = {"source": source_payload(source)}
    if reason and open_event is None:
        if _in_cooldown(session, rule, series, now):
            return []
        # one episode per key: the key names the recovery that closed the previous episode
        event = _fire(
            session,
            rule,
            event_type="source.failing",
            key=f"{series}:failing:after:{last.id if last is not None else 0}",
            series=series,
            data={**data, "reason": reason},
            source_id=source.id,
        )
    elif not reason and open_event is not None:
        event = _fire(
            session,
            rule,
            event_type="source.recovered",
            key=f"{series}:recovered:{open_event.id}",
            series=series,
            source_id=source.id,
            data={
                **data,
                "failing_since": _iso(open_event.created_at),
                "reason": (open_event.payload.get("data") or {}).get("reason"),
            },
        )
    else:
        return []
    return [event] if event is not None else []
