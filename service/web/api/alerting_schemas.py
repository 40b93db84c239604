"""Shapes of /alerts, /webhooks and /deliveries (docs/api.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extractors.schema import KINDS
from service.web.api.common import RequestBody


class AlertFilter(BaseModel):
    """Which facts a rule watches; the same meaning as the `GET /facts` parameters. `source_id` narrows a
    `source_failing` rule to one news source."""

    model_config = ConfigDict(extra="forbid")
    kind: str | list[str] | None = Field(None, description="A fact kind, or a list of kinds")
    location: str | None = Field(None, max_length=300)
    country: str | None = Field(None, min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    subject: str | None = Field(None, max_length=200)
    source: str | None = Field(None, max_length=300, description="Who the figure is attributed to (substring)")
    min_value: float | None = None
    source_id: int | None = Field(None, ge=1, le=2**31 - 1, description="source_failing rules: only this news source")

    @field_validator("kind")
    @classmethod
    def _kinds(cls, value):
        for kind in [value] if isinstance(value, str) else (value or []):
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
        return value


class Threshold(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["threshold"]
    value: float = Field(description="Fire when a reported value is ≥ this")


class Increase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["increase"]
    by: float | None = Field(None, gt=0, description="Fire when the value rose by at least this much")
    by_percent: float | None = Field(None, gt=0, description="… or by at least this many percent")
    window_hours: float = Field(72, gt=0, le=24 * 365, description="Compare with reports this recent")

    @model_validator(mode="after")
    def _one_of(self):
        if self.by is None and self.by_percent is None:
            raise ValueError("an increase condition needs `by` or `by_percent`")
        return self


class New(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["new"]


class SourceFailing(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["source_failing"]
    failures: int | None = Field(3, ge=1, description="Fire after this many failed polls in a row")
    silent_hours: float | None = Field(None, gt=0, description="… or when no new article came for this long")

    @model_validator(mode="after")
    def _one_of(self):
        if self.failures is None and self.silent_hours is None:
            raise ValueError("a source_failing condition needs `failures` or `silent_hours`")
        return self


Condition = Annotated[Threshold | Increase | New | SourceFailing, Field(discriminator="type")]

RULE_EXAMPLE = {
    "name": "Deaths in Syria ≥ 50",
    "filter": {"kind": "killed", "country": "SY"},
    "condition": {"type": "threshold", "value": 50},
    "webhook_ids": [1],
    "cooldown_minutes": 60,
}


class AlertRuleIn(RequestBody):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": RULE_EXAMPLE})
    name: str = Field(min_length=1, max_length=200)
    enabled: bool = True
    filter: AlertFilter = Field(default_factory=AlertFilter)
    condition: Condition
    webhook_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(default_factory=list, max_length=50)
    cooldown_minutes: int = Field(60, ge=0, le=7 * 24 * 60)


class AlertRulePatch(RequestBody):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, min_length=1, max_length=200)
    enabled: bool | None = None
    filter: AlertFilter | None = None
    condition: Condition | None = None
    webhook_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] | None = Field(None, max_length=50)
    cooldown_minutes: int | None = Field(None, ge=0, le=7 * 24 * 60)


class AlertRuleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    enabled: bool
    filter: dict[str, Any]
    condition: dict[str, Any]
    webhook_ids: list[int]
    cooldown_minutes: int
    last_fired_at: dt.datetime | None
    created_at: dt.datetime


class AlertEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    rule_id: int
    event_type: str
    fact_id: int | None
    source_id: int | None
    dedupe_key: str
    value: float | None
    created_at: dt.datetime
    payload: dict[str, Any]


class WebhookIn(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"url": "https://hooks.example.org/tollwatch", "description": "ops channel"}},
    )
    url: str = Field(min_length=1, max_length=2000, description="http(s) URL that receives signed POSTs")
    description: str | None = Field(None, max_length=500)
    enabled: bool = True


class WebhookPatch(RequestBody):
    model_config = ConfigDict(extra="forbid")
    url: str | None = Field(None, min_length=1, max_length=2000)
    description: str | None = Field(None, max_length=500)
    enabled: bool | None = Field(None, description="true re-enables an endpoint the sender disabled")


class WebhookOut(BaseModel):
    """An endpoint. The signing secret is never shown again after creation."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    url: str
    description: str | None
    enabled: bool
    status: str = Field(description="ok | failing | disabled")
    disabled_reason: str | None
    failing_since: dt.datetime | None
    created_at: dt.datetime
    pending_deliveries: int = 0


class WebhookCreated(WebhookOut):
    secret: str = Field(description="whsec_… signing secret: store it now, it is not shown again")


class DeliveryAttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    attempted_at: dt.datetime
    response_code: int | None
    latency_ms: float | None
    error: str | None
    response_body: str | None


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    event_id: int | None
    endpoint_id: int
    message_id: str = Field(description="The webhook-id header, the same on every attempt")
    event_type: str | None = None
    status: str = Field(description="pending | succeeded | failed")
    attempts: int
    next_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    response_code: int | None
    response_body: str | None
    latency_ms: float | None
    error: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None


class DeliveryDetail(DeliveryOut):
    payload: dict[str, Any]
    attempt_log: list[DeliveryAttemptOut] = []
