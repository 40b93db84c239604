"""GET /series — the time series of a kind (+ place): one point per day/week/month, never a sum."""

from __future__ import annotations

from typing import Literal

import orjson
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from db.queries import FactFilter, fact_series
from db.rollups import series_json
from extractors.schema import KINDS
from service.web.api.auth import require_read
from service.web.api.deps import SessionDep
from service.web.api.facts import scope_filter
from service.web.api.problems import READ_ERRORS
from service.web.api.schemas import Series

router = APIRouter(tags=["series"], dependencies=[Depends(require_read)], responses=READ_ERRORS)


@router.get(
    "/series",
    response_model=Series,
    summary="Time series of a kind of fact",
    description="One point per `interval` for the facts of one `kind` matching the filters (the same "
    "filters as `/facts`; `location` matches the resolved place or the place as written, "
    "`country` the resolved place's country). Each point has the `latest` and the `max` "
    "reported value, the number of reports, how many agree with the latest, and every distinct "
    "value with its sources. Values are never added up: a toll reported as 45 by one outlet "
    "and 52 by another shows both. Periods without reports are left out.",
)
def get_series(
    session: SessionDep,
    kind: Literal[KINDS] = Query(description="The kind of fact: one of " + ", ".join(KINDS), examples=["killed"]),
    flt: FactFilter = Depends(scope_filter),
    interval: Literal["day", "week", "month"] = Query(
        "day", description="Period of one point: `day`, `week` (ISO, from Monday) or `month`", examples=["week"]
    ),
):
    flt.kind = [kind]
    # A year of a busy country by day is ~1.5 MB: read from the rollup, its days' points are JSON already and
    # are sent as they are stored (db/rollups.py); other filters aggregate the facts.
    stored = series_json(session, flt, interval)
    points = fact_series(session, flt, interval) if stored is None else None
    # Built from plain data and sent as is (the shape is `Series`, pinned by the tests and schemathesis):
    # validating a year of daily points through pydantic would cost more than the query.
    body = {
        "kind": kind,
        "interval": interval,
        "location": flt.location,
        "country": flt.country,
        "since": flt.since,
        "until": flt.until,
        "unit": flt.unit,
        "points": points,
    }
    encoded = orjson.dumps(body)
    if stored is not None:  # `"points":null}` -> the stored points
        encoded = encoded[: -len(b"null}")] + b"[" + b",".join(stored) + b"]}"
    return Response(encoded, media_type="application/json")
