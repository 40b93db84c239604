"""Webhook endpoints, alert rules and deliveries: add, change, remove, test and retry them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, select

from db.models import AlertEvent, AlertRule, Delivery, DeliveryAttempt, WebhookEndpoint, utcnow
from service.alerting import dispatch, webhooks
from service.core.net import UnsafeURL, check_url
from service.core.settings import get_settings
from service.domain.errors import Conflict, Invalid, NotFound

# --- webhook endpoints -----------------------------------------------------------------------------


def check_webhook_url(url: str) -> str:
    """The URL, stripped, if it is http(s) and (unless private URLs are allowed) public; else Invalid."""
    url = url.strip()
    try:
        check_url(url, allow_private=get_settings().allow_private_urls, schemes=("http", "https"))
    except UnsafeURL as exc:
        raise Invalid(f"url: {exc}") from None
    return url


def get_webhook(session: Session, endpoint_id: int) -> WebhookEndpoint:
    """The endpoint, or NotFound."""
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound(f"webhook {endpoint_id} not found")
    return endpoint


def create_webhook(session: Session, url: str, description: str | None = None, enabled: bool = True) -> WebhookEndpoint:
    """Add an endpoint with a fresh signing secret, committed."""
    endpoint = WebhookEndpoint(
        url=check_webhook_url(url), description=description, enabled=enabled, secret=webhooks.new_secret()
    )
    session.add(endpoint)
    session.commit()
    session.refresh(endpoint)
    return endpoint


def update_webhook(session: Session, endpoint_id: int, changes: dict[str, Any]) -> WebhookEndpoint:
    """Change the URL or description, or enable/disable, committed. Enabling clears the failure state and
    wakes the sender: deliveries held while the endpoint was disabled go out."""
    endpoint = get_webhook(session, endpoint_id)
    if changes.get("url") is not None:
        endpoint.url = check_webhook_url(changes["url"])
    if "description" in changes:
        endpoint.description = changes["description"]
    if changes.get("enabled") is not None:
        endpoint.enabled = changes["enabled"]
        if endpoint.enabled:
            endpoint.disabled_reason, endpoint.failing_since = None, None
        else:
            endpoint.disabled_reason = "disabled by a user"
    session.add(endpoint)
    session.commit()
    session.refresh(endpoint)
    if endpoint.enabled:
        dispatch.wake()
    return endpoint


def _delete_deliveries(session: Session, where) -> None:
    ids = select(Delivery.id).where(where)
    session.exec(delete(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(ids)))
    session.exec(delete(Delivery).where(where))


def delete_webhook(session: Session, endpoint_id: int) -> None:
    """Remove the endpoint, its delivery history, and its id from every rule, committed."""
    endpoint = get_webhook(session, endpoint_id)
    _delete_deliveries(session, Delivery.endpoint_id == endpoint_id)
    for rule in session.exec(select(AlertRule)).all():
        if endpoint_id in (rule.webhook_ids or []):
            rule.webhook_ids = [i for i in rule.webhook_ids if i != endpoint_id]
            session.add(rule)
    session.delete(endpoint)
    session.commit()


def queue_ping(session: Session, endpoint_id: int) -> Delivery:
    """A committed `webhook.test` delivery to an enabled endpoint (Conflict when it is disabled)."""
    endpoint = get_webhook(session, endpoint_id)
    if not endpoint.enabled:
        raise Conflict(f"webhook {endpoint_id} is disabled; enable it (PATCH enabled=true) to test it")
    now = utcnow()
    payload = {
        "type": webhooks.PING_TYPE,
        "timestamp": now.isoformat(),
        "data": {"endpoint_id": endpoint.id, "message": "tollwatch test ping"},
    }
    delivery = Delivery(
        endpoint_id=endpoint.id,
        message_id=webhooks.new_message_id(),
        payload=payload,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    session.commit()
    return delivery


# --- alert rules -----------------------------------------------------------------------------------


def get_rule(session: Session, rule_id: int) -> AlertRule:
    """The rule, or NotFound."""
    rule = session.get(AlertRule, rule_id)
    if rule is None:
        raise NotFound(f"alert rule {rule_id} not found")
    return rule


def check_endpoints(session: Session, ids: list[int]) -> list[int]:
    """The ids without repeats, if every one names an endpoint; else Invalid."""
    ids = list(dict.fromkeys(ids))
    known = set(session.exec(select(WebhookEndpoint.id).where(WebhookEndpoint.id.in_(ids))).all()) if ids else set()
    missing = [i for i in ids if i not in known]
    if missing:
        raise Invalid(f"webhook_ids: no webhook with id {', '.join(map(str, missing))}")
    return ids


def create_rule(
    session: Session,
    *,
    name: str,
    enabled: bool,
    filter: dict[str, Any],
    condition: dict[str, Any],
    webhook_ids: list[int],
    cooldown_minutes: int,
) -> AlertRule:
    """Add a rule (its endpoints must exist), committed."""
    rule = AlertRule(
        name=name,
        enabled=enabled,
        filter=filter,
        condition=condition,
        webhook_ids=check_endpoints(session, webhook_ids),
        cooldown_minutes=cooldown_minutes,
    )
    session.add(rule)
    session.commit()
    session.refresh(rule)
    return rule


def update_rule(session: Session, rule_id: int, changes: dict[str, Any]) -> AlertRule:
    """Apply the given fields (None leaves a field alone), committed."""
    rule = get_rule(session, rule_id)
    for key in ("name", "enabled", "cooldown_minutes", "filter", "condition"):
        if changes.get(key) is not None:
            setattr(rule, key, changes[key])
    if changes.get("webhook_ids") is not None:
        rule.webhook_ids = check_endpoints(session, changes["webhook_ids"])
    session.add(rule)
    session.commit()
    session.refresh(rule)
    return rule


def delete_rule(session: Session, rule_id: int) -> None:
    """Remove the rule with its events and their deliveries, committed."""
    rule = get_rule(session, rule_id)
    events = select(AlertEvent.id).where(AlertEvent.rule_id == rule_id)
    _delete_deliveries(session, Delivery.event_id.in_(events))
    session.exec(delete(AlertEvent).where(AlertEvent.rule_id == rule_id))
    session.delete(rule)
    session.commit()


# --- deliveries ------------------------------------------------------------------------------------


def get_delivery(session: Session, delivery_id: int) -> Delivery:
    """The delivery, or NotFound."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound(f"delivery {delivery_id} not found")
    return delivery


def retry_delivery(session: Session, delivery_id: int) -> Delivery:
    """Queue the delivery again now (same `webhook-id`), whatever its status, committed; Conflict while it is
    being sent or when its endpoint is disabled."""
    delivery = get_delivery(session, delivery_id)
    now = utcnow()
    if delivery.lease_expires_at is not None and delivery.lease_expires_at > now:
        raise Conflict(f"delivery {delivery_id} is being sent right now")
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    if endpoint is None or not endpoint.enabled:
        raise Conflict(f"webhook {delivery.endpoint_id} is disabled; enable it (PATCH enabled=true) first")
    delivery.status, delivery.next_attempt_at = "pending", now
    session.add(delivery)
    session.commit()
    session.refresh(delivery)
    dispatch.wake()
    return delivery
