"""/alerts, /webhooks, /deliveries (issue 7, DESIGN.md §3)."""
from __future__ import annotations

from typing import Optional

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy import delete, func
from sqlmodel import Session, select

from db.models import AlertEvent, AlertRule, Delivery, DeliveryAttempt, WebhookEndpoint, utcnow
from service.alerting import webhooks
from service.web.api.alerting_schemas import (AlertEventOut, AlertRuleIn, AlertRuleOut, AlertRulePatch, DeliveryAttemptOut,
                                          DeliveryDetail, DeliveryOut, WebhookCreated, WebhookIn, WebhookOut,
                                          WebhookPatch)
from service.web.api.auth import require_read, require_write
from service.web.api.common import Page, get_session, id_page
from service.web.api.problems import NOT_FOUND, READ_ERRORS, WRITE_ERRORS, Problem
from service.core.net import UnsafeURL, check_url
from service.core.settings import get_settings

router = APIRouter(responses=READ_ERRORS)

MAX_ID = 2**31 - 1
EndpointId = Annotated[int, Path(ge=1, le=MAX_ID, description="Webhook endpoint id")]
RuleId = Annotated[int, Path(ge=1, le=MAX_ID, description="Alert rule id")]
DeliveryId = Annotated[int, Path(ge=1, le=MAX_ID, description="Delivery id")]
WRITE_404 = {**WRITE_ERRORS, **NOT_FOUND}


# --- webhooks ----------------------------------------------------------------------------------------

def _check_webhook_url(url: str) -> str:
    url = url.strip()
    try:
        check_url(url, allow_private=get_settings().allow_private_urls, schemes=("http", "https"))
    except UnsafeURL as exc:
        raise Problem(422, f"url: {exc}")
    return url


def _endpoint(session: Session, endpoint_id: int) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise Problem(404, f"webhook {endpoint_id} not found")
    return endpoint


def _pending_counts(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(session.exec(select(Delivery.endpoint_id, func.count()).where(
        Delivery.endpoint_id.in_(ids), Delivery.status == "pending").group_by(Delivery.endpoint_id)).all())


def webhook_out(endpoint: WebhookEndpoint, pending: int = 0) -> WebhookOut:
    status = "disabled" if not endpoint.enabled else ("failing" if endpoint.failing_since else "ok")
    return WebhookOut(id=endpoint.id, url=endpoint.url, description=endpoint.description, enabled=endpoint.enabled,
                      status=status, disabled_reason=endpoint.disabled_reason, failing_since=endpoint.failing_since,
                      created_at=endpoint.created_at, pending_deliveries=pending)


@router.get("/webhooks", response_model=Page[WebhookOut], tags=["webhooks"], dependencies=[Depends(require_read)])
def list_webhooks(session: Session = Depends(get_session), limit: int = Query(100, ge=1, le=1000),
                  cursor: Optional[str] = None):
    rows, next_cursor = id_page(session, select(WebhookEndpoint), WebhookEndpoint.id, limit, cursor)
    pending = _pending_counts(session, [e.id for e in rows])
    return Page[WebhookOut](items=[webhook_out(e, pending.get(e.id, 0)) for e in rows], next_cursor=next_cursor)


@router.post("/webhooks", status_code=201, response_model=WebhookCreated, tags=["webhooks"],
             dependencies=[Depends(require_write)],
             responses=WRITE_ERRORS)
def create_webhook(body: WebhookIn, response: Response, session: Session = Depends(get_session)):
    """Add an endpoint. The answer carries the signing secret (`whsec_…`) — the only time it is shown."""
    endpoint = WebhookEndpoint(url=_check_webhook_url(body.url), description=body.description, enabled=body.enabled,
                               secret=webhooks.new_secret())
    session.add(endpoint)
    session.commit()
    session.refresh(endpoint)
    response.headers["Location"] = f"/api/v1/webhooks/{endpoint.id}"
    return WebhookCreated(**webhook_out(endpoint).model_dump(), secret=endpoint.secret)


@router.get("/webhooks/{endpoint_id}", response_model=WebhookOut, tags=["webhooks"],
            dependencies=[Depends(require_read)],
             responses=NOT_FOUND)
def get_webhook(endpoint_id: EndpointId, session: Session = Depends(get_session)):
    endpoint = _endpoint(session, endpoint_id)
    return webhook_out(endpoint, _pending_counts(session, [endpoint_id]).get(endpoint_id, 0))


@router.patch("/webhooks/{endpoint_id}", response_model=WebhookOut, tags=["webhooks"],
              dependencies=[Depends(require_write)],
             responses=WRITE_404)
def patch_webhook(endpoint_id: EndpointId, body: WebhookPatch, session: Session = Depends(get_session)):
    """Change the URL or description, or enable/disable. Enabling clears the failure state; deliveries held
    while it was disabled go out."""
    endpoint = _endpoint(session, endpoint_id)
    changes = body.model_dump(exclude_unset=True)
    if changes.get("url") is not None:
        endpoint.url = _check_webhook_url(changes["url"])
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
        webhooks.wake()
    return webhook_out(endpoint, _pending_counts(session, [endpoint_id]).get(endpoint_id, 0))


def _delete_deliveries(session: Session, where) -> None:
    ids = select(Delivery.id).where(where)
    session.exec(delete(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(ids)))
    session.exec(delete(Delivery).where(where))


@router.delete("/webhooks/{endpoint_id}", status_code=204, tags=["webhooks"], dependencies=[Depends(require_write)],
             responses=WRITE_404)
def delete_webhook(endpoint_id: EndpointId, session: Session = Depends(get_session)):
    """Remove the endpoint, its delivery history, and its id from every rule."""
    endpoint = _endpoint(session, endpoint_id)
    _delete_deliveries(session, Delivery.endpoint_id == endpoint_id)
    for rule in session.exec(select(AlertRule)).all():
        if endpoint_id in (rule.webhook_ids or []):
            rule.webhook_ids = [i for i in rule.webhook_ids if i != endpoint_id]
            session.add(rule)
    session.delete(endpoint)
    session.commit()


@router.post("/webhooks/{endpoint_id}/test", response_model=DeliveryDetail, tags=["webhooks"],
             dependencies=[Depends(require_write)],
             responses=WRITE_404)
def test_webhook(endpoint_id: EndpointId, session: Session = Depends(get_session)):
    """Send a signed `webhook.test` ping now (one attempt, no retries) and answer with its delivery record."""
    endpoint = _endpoint(session, endpoint_id)
    if not endpoint.enabled:
        raise Problem(409, f"webhook {endpoint_id} is disabled; enable it (PATCH enabled=true) to test it")
    now = utcnow()
    payload = {"type": webhooks.PING_TYPE, "timestamp": now.isoformat(),
               "data": {"endpoint_id": endpoint.id, "message": "tollwatch test ping"}}
    delivery = Delivery(endpoint_id=endpoint.id, message_id=webhooks.new_message_id(), payload=payload,
                        next_attempt_at=now, created_at=now)
    session.add(delivery)
    session.commit()
    webhooks.send_one(delivery.id)
    session.expire_all()
    return _detail(session, _delivery(session, delivery.id))


# --- alert rules ---------------------------------------------------------------------------------------

def _rule(session: Session, rule_id: int) -> AlertRule:
    rule = session.get(AlertRule, rule_id)
    if rule is None:
        raise Problem(404, f"alert rule {rule_id} not found")
    return rule


def _check_endpoints(session: Session, ids: list[int]) -> list[int]:
    ids = list(dict.fromkeys(ids))
    known = set(session.exec(select(WebhookEndpoint.id).where(WebhookEndpoint.id.in_(ids))).all()) if ids else set()
    missing = [i for i in ids if i not in known]
    if missing:
        raise Problem(422, f"webhook_ids: no webhook with id {', '.join(map(str, missing))}")
    return ids


def _filter_dict(flt) -> dict:
    return flt.model_dump(exclude_none=True)


@router.get("/alerts", response_model=Page[AlertRuleOut], tags=["alerts"], dependencies=[Depends(require_read)])
def list_alerts(session: Session = Depends(get_session), limit: int = Query(100, ge=1, le=1000),
                cursor: Optional[str] = None):
    rows, next_cursor = id_page(session, select(AlertRule), AlertRule.id, limit, cursor)
    return Page[AlertRuleOut](items=[AlertRuleOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/alerts", status_code=201, response_model=AlertRuleOut, tags=["alerts"],
             dependencies=[Depends(require_write)],
             responses=WRITE_ERRORS)
def create_alert(body: AlertRuleIn, response: Response, session: Session = Depends(get_session)):
    """Add a rule: a fact filter, a condition (`threshold`, `increase`, `new`, `source_failing`), the endpoints."""
    rule = AlertRule(name=body.name, enabled=body.enabled, filter=_filter_dict(body.filter),
                     condition=body.condition.model_dump(exclude_none=True),
                     webhook_ids=_check_endpoints(session, body.webhook_ids), cooldown_minutes=body.cooldown_minutes)
    session.add(rule)
    session.commit()
    session.refresh(rule)
    response.headers["Location"] = f"/api/v1/alerts/{rule.id}"
    return AlertRuleOut.model_validate(rule)


@router.get("/alerts/{rule_id}", response_model=AlertRuleOut, tags=["alerts"], dependencies=[Depends(require_read)],
             responses=NOT_FOUND)
def get_alert(rule_id: RuleId, session: Session = Depends(get_session)):
    return AlertRuleOut.model_validate(_rule(session, rule_id))


@router.patch("/alerts/{rule_id}", response_model=AlertRuleOut, tags=["alerts"],
              dependencies=[Depends(require_write)],
             responses=WRITE_404)
def patch_alert(rule_id: RuleId, body: AlertRulePatch, session: Session = Depends(get_session)):
    rule = _rule(session, rule_id)
    changes = body.model_dump(exclude_unset=True)
    for key in ("name", "enabled", "cooldown_minutes"):
        if changes.get(key) is not None:
            setattr(rule, key, changes[key])
    if body.filter is not None:
        rule.filter = _filter_dict(body.filter)
    if body.condition is not None:
        rule.condition = body.condition.model_dump(exclude_none=True)
    if body.webhook_ids is not None:
        rule.webhook_ids = _check_endpoints(session, body.webhook_ids)
    session.add(rule)
    session.commit()
    session.refresh(rule)
    return AlertRuleOut.model_validate(rule)


@router.delete("/alerts/{rule_id}", status_code=204, tags=["alerts"], dependencies=[Depends(require_write)],
             responses=WRITE_404)
def delete_alert(rule_id: RuleId, session: Session = Depends(get_session)):
    """Remove the rule with its events and their deliveries."""
    rule = _rule(session, rule_id)
    events = select(AlertEvent.id).where(AlertEvent.rule_id == rule_id)
    _delete_deliveries(session, Delivery.event_id.in_(events))
    session.exec(delete(AlertEvent).where(AlertEvent.rule_id == rule_id))
    session.delete(rule)
    session.commit()


@router.get("/alerts/{rule_id}/events", response_model=Page[AlertEventOut], tags=["alerts"],
            dependencies=[Depends(require_read)],
             responses=NOT_FOUND)
def list_alert_events(rule_id: RuleId, session: Session = Depends(get_session), limit: int = Query(100, ge=1, le=1000),
                      cursor: Optional[str] = None):
    """What the rule fired, newest first, with the exact body sent."""
    _rule(session, rule_id)
    rows, next_cursor = id_page(session, select(AlertEvent).where(AlertEvent.rule_id == rule_id), AlertEvent.id,
                                limit, cursor, newest_first=True)
    return Page[AlertEventOut](items=[AlertEventOut.model_validate(r) for r in rows], next_cursor=next_cursor)


# --- deliveries ------------------------------------------------------------------------------------------

def _delivery(session: Session, delivery_id: int) -> Delivery:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise Problem(404, f"delivery {delivery_id} not found")
    return delivery


def _out(delivery: Delivery) -> DeliveryOut:
    out = DeliveryOut.model_validate(delivery)
    out.event_type = (delivery.payload or {}).get("type")
    return out


def _detail(session: Session, delivery: Delivery) -> DeliveryDetail:
    attempts = session.exec(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == delivery.id)
                            .order_by(DeliveryAttempt.id)).all()
    return DeliveryDetail(**_out(delivery).model_dump(), payload=delivery.payload,
                          attempt_log=[DeliveryAttemptOut.model_validate(a) for a in attempts])


@router.get("/deliveries", response_model=Page[DeliveryOut], tags=["deliveries"],
            dependencies=[Depends(require_read)])
def list_deliveries(session: Session = Depends(get_session), limit: int = Query(100, ge=1, le=1000),
                    cursor: Optional[str] = None,
                    status: Optional[str] = Query(None, pattern="^(pending|succeeded|failed)$"),
                    endpoint_id: Optional[int] = Query(None, ge=1, le=MAX_ID),
                    rule_id: Optional[int] = Query(None, ge=1, le=MAX_ID),
                    event_id: Optional[int] = Query(None, ge=1, le=MAX_ID)):
    """Every delivery, newest first: status, attempts, last response code and latency, error, next attempt."""
    query = select(Delivery)
    if status:
        query = query.where(Delivery.status == status)
    if endpoint_id is not None:
        query = query.where(Delivery.endpoint_id == endpoint_id)
    if event_id is not None:
        query = query.where(Delivery.event_id == event_id)
    if rule_id is not None:
        query = query.where(Delivery.event_id.in_(select(AlertEvent.id).where(AlertEvent.rule_id == rule_id)))
    rows, next_cursor = id_page(session, query, Delivery.id, limit, cursor, newest_first=True)
    return Page[DeliveryOut](items=[_out(d) for d in rows], next_cursor=next_cursor)


@router.get("/deliveries/{delivery_id}", response_model=DeliveryDetail, tags=["deliveries"],
            dependencies=[Depends(require_read)],
             responses=NOT_FOUND)
def get_delivery(delivery_id: DeliveryId, session: Session = Depends(get_session)):
    """One delivery with its body and every attempt."""
    return _detail(session, _delivery(session, delivery_id))


@router.post("/deliveries/{delivery_id}/retry", status_code=202, response_model=DeliveryOut, tags=["deliveries"],
             dependencies=[Depends(require_write)],
             responses=WRITE_404)
def retry_delivery(delivery_id: DeliveryId, session: Session = Depends(get_session)):
    """Queue the delivery again now (same `webhook-id`), whatever its status. One more attempt for a delivery whose
    schedule is exhausted; the schedule resumes for one that still has attempts left."""
    delivery = _delivery(session, delivery_id)
    now = utcnow()
    if delivery.lease_expires_at is not None and delivery.lease_expires_at > now:
        raise Problem(409, f"delivery {delivery_id} is being sent right now")
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    if endpoint is None or not endpoint.enabled:
        raise Problem(409, f"webhook {delivery.endpoint_id} is disabled; enable it (PATCH enabled=true) first")
    delivery.status, delivery.next_attempt_at = "pending", now
    session.add(delivery)
    session.commit()
    session.refresh(delivery)
    webhooks.wake()
    return _out(delivery)
