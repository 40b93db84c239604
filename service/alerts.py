"""Alert rule evaluation (issue 7). Called inside the transaction that stores facts / source health,
so an alert and its outbox deliveries commit together with what caused them."""
from __future__ import annotations

from sqlmodel import Session

from db.models import Article, Fact, Source


def evaluate_facts(session: Session, article: Article, facts: list[Fact]) -> None:
    """Fire the rules that the new `facts` (already flushed, with ids) match."""


def evaluate_source_health(session: Session, source: Source) -> None:
    """Fire or recover `source_failing` rules after a poll updated `source`'s health."""
