"""Prometheus metrics at /metrics (issue 9 widens the set)."""
from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

router = APIRouter(include_in_schema=False)

POLLS = Counter("tollwatch_polls_total", "Feed polls by outcome", ["outcome"])
ARTICLES = Counter("tollwatch_articles_total", "Articles stored")
FACTS = Counter("tollwatch_facts_total", "Facts stored by kind", ["kind"])
EXTRACTION_SECONDS = Histogram("tollwatch_extraction_seconds", "Extraction time per article")
DELIVERIES = Counter("tollwatch_deliveries_total", "Webhook delivery attempts by result", ["result"])
DELIVERY_SECONDS = Histogram("tollwatch_delivery_seconds", "Webhook delivery latency")


@router.get("/metrics")
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
