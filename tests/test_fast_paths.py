"""Shortcuts taken for speed must leave the same state as the slow path they skip."""

from sqlmodel import SQLModel

from extractors.schema import FactBase


def _fact() -> FactBase:
    return FactBase(kind="killed", value=3.0, span_start=0, span_end=1, sentence="Three were killed.")


def test_fact_assignment_matches_sqlmodel_assignment():
    fast, slow = _fact(), _fact()
    fast.source, fast.latitude, fast.scope = "police", 1.5, "part"
    for name, value in (("source", "police"), ("latitude", 1.5), ("scope", "part")):
        SQLModel.__setattr__(slow, name, value)
    assert fast.model_dump() == slow.model_dump()
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.__dict__ == slow.__dict__


def test_table_model_assignment_still_goes_through_sqlmodel():
    from db.models import Fact

    assert Fact.__setattr__ is FactBase.__setattr__  # (inherited: it must hand a table model to SQLModel)
    fact = Fact(kind="killed", value=3.0, span_start=0, span_end=1, sentence="x", article_id=1)
    fact.source = "police"
    assert fact.source == "police" and "_sa_instance_state" in fact.__dict__
