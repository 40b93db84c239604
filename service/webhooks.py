"""Webhook delivery from the outbox (issue 7)."""
from __future__ import annotations


def send_due(limit: int = 50) -> int:
    """Send the deliveries that are due; returns how many were attempted."""
    return 0
