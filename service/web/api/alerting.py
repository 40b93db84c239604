"""/alerts, /webhooks, /deliveries: alert rules, webhook endpoints and the deliveries sent to them
(docs/api.md, docs/webhooks.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy import func
from sqlmodel import Session, select

from db.models import AlertEvent, AlertRule, Delivery, DeliveryAttempt, WebhookEndpoint
from service.alerting import dispatch
from service.domain import alerts
from service.web.api.alerting_schemas import (
    AlertEventOut,
    AlertRuleIn,
    AlertRuleOut,
    AlertRulePatch,
    DeliveryAttemptOut,
    DeliveryDetail,
    DeliveryOut,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
)
from service.web.api.auth import require_read, require_write
from service.web.api.common import MAX_ID, Page, id_page
from service.web.api.deps import SessionDep
from service.web.api.problems import NOT_FOUND, READ_ERRORS, WRITE_ERRORS

router = APIRouter(responses=READ_ERRORS)

EndpointId = Annotated[int, Path(ge=1, le=MAX_ID, description="Webhook endpoint id")]
RuleId = Annotated[int, Path(ge=1, le=MAX_ID, description="Alert rule id")]
DeliveryId = Annotated[int, Path(ge=1, le=MAX_ID, description="Delivery id")]
WRITE_404 = {**WRITE_ERRORS, **NOT_FOUND}


# --- webhooks ----------------------------------------------------------------------------------------


def _pending_counts(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(
        session.exec(
            select(Delivery.endpoint_id, func.count())
            .where(Delivery.endpoint_id.in_(ids), Delivery.status == "pending")
            .group_by(Delivery.endpoint_id)
        ).all()
    )


def webhook_out(endpoint: WebhookEndpoint, pending: int = 0) -> WebhookOut:
    status = "disabled" if not endpoint.enabled else ("failing" if endpoint.failing_since else "ok")
    return WebhookOut(
        id=endpoint.id,
        url=endpoint.url,
        description=endpoint.description,
        enabled=endpoint.enabled,
        status=status,
        disabled_reason=endpoint.disabled_reason,
        failing_since=endpoint.failing_since,
        created_at=endpoint.created_at,
        pending_deliveries=pending,
    )


@router.get("/webhooks", response_model=Page[WebhookOut], tags=["webhooks"], dependencies=[Depends(require_read)])
def list_webhooks(session: SessionDep, limit: int = Query(100, ge=1, le=1000), cursor: str | None = None):
    rows, next_cursor = id_page(session, select(WebhookEndpoint), WebhookEndpoint.id, limit, cursor)
    pending = _pending_counts(session, [e.id for e in rows])
    return Page[WebhookOut](items=[webhook_out(e, pending.get(e.id, 0)) for e in rows], next_cursor=next_cursor)


@router.post(
    "/webhooks",
    status_code=201,
    response_model=WebhookCreated,
    tags=["webhooks"],
    dependencies=[Depends(require_write)],
    responses=WRITE_ERRORS,
)
def create_webhook(session: SessionDep, body: WebhookIn, response: Response):
    """Add an endpoint. The answer carries the signing secret (`whsec_…`) — the only time it is shown."""
    endpoint = alerts.create_webhook(session, body.url, body.description, body.enabled)
    response.headers["Location"] = f"/api/v1/webhooks/{endpoint.id}"
    return WebhookCreated(**webhook_out(endpoint).model_dump(), secret=endpoint.secret)


@router.get(
    "/webhooks/{endpoint_id}",
    response_model=WebhookOut,
    tags=["webhooks"],
    dependencies=[Depends(require_read)],
    responses=NOT_FOUND,
)
def get_webhook(session: SessionDep, endpoint_id: EndpointId):
    endpoint = alerts.get_webhook(session, endpoint_id)
    return webhook_out(endpoint, _pending_counts(session, [endpoint_id]).get(endpoint_id, 0))


@router.patch(
    "/webhooks/{endpoint_id}",
    response_model=WebhookOut,
    tags=["webhooks"],
    dependencies=[Depends(require_write)],
    responses=WRITE_404,
)
def patch_webhook(session: SessionDep, endpoint_id: EndpointId, body: WebhookPatch):
    """Change the URL or description, or enable/disable. Enabling clears the failure state; deliveries held
    while it was disabled go out."""
    endpoint = alerts.update_webhook(session, endpoint_id, body.model_dump(exclude_unset=True))
    return webhook_out(endpoint, _pending_counts(session, [endpoint_id]).get(endpoint_id, 0))


@router.delete(
    "/webhooks/{endpoint_id}",
    status_code=204,
    tags=["webhooks"],
    dependencies=[Depends(require_write)],
    responses=WRITE_404,
)
def delete_webhook(session: SessionDep, endpoint_id: EndpointId):
    """Remove the endpoint, its delivery history, and its id from every rule."""
    alerts.delete_webhook(session, endpoint_id)


@router.post(
    "/webhooks/{endpoint_id}/test",
    response_model=DeliveryDetail,
    tags=["webhooks"],
    dependencies=[Depends(require_write)],
    responses=WRITE_404,
)
def test_webhook(session: SessionDep, endpoint_id: EndpointId):
    """Send a signed `webhook.test` ping now (one attempt, no retries) and answer with its delivery record."""
    delivery = alerts.queue_ping(session, endpoint_id)
    dispatch.send_one(delivery.id)
    session.expire_all()
    return _detail(session, alerts.get_delivery(session, delivery.id))


# --- alert rules ---------------------------------------------------------------------------------------


def _filter_dict(flt) -> dict:
    return flt.model_dump(exclude_none=True)


@router.get("/alerts", response_model=Page[AlertRuleOut], tags=["alerts"], dependencies=[Depends(require_read)])
def list_alerts(session: SessionDep, limit: int = Query(100, ge=1, le=1000), cursor: str | None = None):
    rows, next_cursor = id_page(session, select(AlertRule), AlertRule.id, limit, cursor)
    return Page[AlertRuleOut](items=[AlertRuleOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/alerts",
    status_code=201,
    response_model=AlertRuleOut,
    tags=["alerts"],
    dependencies=[Depends(require_write)],
    responses=WRITE_ERRORS,
)
def create_alert(session: SessionDep, body: AlertRuleIn, response: Response):
    """Add a rule: a fact filter, a condition (`threshold`, `increase`, `new`, `source_failing`), the endpoints."""
    rule = alerts.create_rule(
        session,
        name=body.name,
        enabled=body.enabled,
        filter=_filter_dict(body.filter),
        condition=body.condition.model_dump(exclude_none=True),
        webhook_ids=body.webhook_ids,
        cooldown_minutes=body.cooldown_minutes,
    )
    response.headers["Location"] = f"/api/v1/alerts/{rule.id}"
    return AlertRuleOut.model_validate(rule)


@router.get(
    "/alerts/{rule_id}",
    response_model=AlertRuleOut,
    tags=["alerts"],
    dependencies=[Depends(require_read)],
    responses=NOT_FOUND,
)
def get_alert(session: SessionDep, rule_id: RuleId):
    return AlertRuleOut.model_validate(alerts.get_rule(session, rule_id))


@router.patch(
    "/alerts/{rule_id}",
    response_model=AlertRuleOut,
    tags=["alerts"],
    dependencies=[Depends(require_write)],
    responses=WRITE_404,
)
def patch_alert(session: SessionDep, rule_id: RuleId, body: AlertRulePatch):
    changes = {
        key: value
        for key, value in body.model_dump(exclude_unset=True).items()
        if key in ("name", "enabled", "cooldown_minutes", "webhook_ids")
    }
    if body.filter is not None:
        changes["filter"] = _filter_dict(body.filter)
    if body.condition is not None:
        changes["condition"] = body.condition.model_dump(exclude_none=True)
    rule = alerts.update_rule(session, rule_id, changes)
    return AlertRuleOut.model_validate(rule)


@router.delete(
    "/alerts/{rule_id}", status_code=204, tags=["alerts"], dependencies=[Depends(require_write)], responses=WRITE_404
)
def delete_alert(session: SessionDep, rule_id: RuleId):
    """Remove the rule with its events and their deliveries."""
    alerts.delete_rule(session, rule_id)


@router.get(
    "/alerts/{rule_id}/events",
    response_model=Page[AlertEventOut],
    tags=["alerts"],
    dependencies=[Depends(require_read)],
    responses=NOT_FOUND,
)
def list_alert_events(
    session: SessionDep, rule_id: RuleId, limit: int = Query(100, ge=1, le=1000), cursor: str | None = None
):
    """What the rule fired, newest first, with the exact body sent."""
    alerts.get_rule(session, rule_id)
    rows, next_cursor = id_page(
        session,
        select(AlertEvent).where(AlertEvent.rule_id == rule_id),
        AlertEvent.id,
        limit,
        cursor,
        newest_first=True,
    )
    return Page[AlertEventOut](items=[AlertEventOut.model_validate(r) for r in rows], next_cursor=next_cursor)


# --- deliveries ------------------------------------------------------------------------------------------


def _out(delivery: Delivery) -> DeliveryOut:
    out = DeliveryOut.model_validate(delivery)
    out.event_type = (delivery.payload or {}).get("type")
    return out


def _detail(session: Session, delivery: Delivery) -> DeliveryDetail:
    attempts = session.exec(
        select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == delivery.id).order_by(DeliveryAttempt.id)
    ).all()
    return DeliveryDetail(
        **_out(delivery).model_dump(),
        payload=delivery.payload,
        attempt_log=[DeliveryAttemptOut.model_validate(a) for a in attempts],
    )


@router.get("/deliveries", response_model=Page[DeliveryOut], tags=["deliveries"], dependencies=[Depends(require_read)])
def list_deliveries(
    session: SessionDep,
    limit: int = Query(100, ge=1, le=1000),
    cursor: str | None = None,
    status: str | None = Query(None, pattern="^(pending|succeeded|failed)$"),
    endpoint_id: int | None = Query(None, ge=1, le=MAX_ID),
    rule_id: int | None = Query(None, ge=1, le=MAX_ID),
    event_id: int | None = Query(None, ge=1, le=MAX_ID),
):
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


@router.get(
    "/deliveries/{delivery_id}",
    response_model=DeliveryDetail,
    tags=["deliveries"],
    dependencies=[Depends(require_read)],
    responses=NOT_FOUND,
)
def get_delivery(session: SessionDep, delivery_id: DeliveryId):
    """One delivery with its body and every attempt."""
    return _detail(session, alerts.get_delivery(session, delivery_id))


@router.post(
    "/deliveries/{delivery_id}/retry",
    status_code=202,
    response_model=DeliveryOut,
    tags=["deliveries"],
    dependencies=[Depends(require_write)],
    responses=WRITE_404,
)
def retry_delivery(session: SessionDep, delivery_id: DeliveryId):
    """Queue the delivery again now (same `webhook-id`), whatever its status. One more attempt for a delivery whose
    schedule is exhausted; the schedule resumes for one that still has attempts left."""
    return _out(alerts.retry_delivery(session, delivery_id))
