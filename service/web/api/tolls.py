"""GET /tolls — the current toll per kind and place: the latest and the highest reported total."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlmodel import Session

from db.queries import FactFilter, Toll, TollReport, toll_page
from service.core.database import get_engine
from service.web.api.auth import require_read
from service.web.api.common import Page, decode_cursor, encode_cursor
from service.web.api.deps import SessionDep
from service.web.api.facts import CURSOR_DOC, MAX_EXPORT, MAX_PAGE, csv_safe, fact_filter
from service.web.api.problems import READ_ERRORS, Problem
from service.web.api.schemas import Number

router = APIRouter(tags=["tolls"], dependencies=[Depends(require_read)], responses=READ_ERRORS)


class TollValue(BaseModel):
    """One reported total behind a toll, traceable to its fact and article."""

    value: Number = Field(description="The reported value (a vague amount's low end)", examples=[52])
    low: Number | None = Field(description="Lower end of the interval the phrase implies", examples=[52])
    high: Number | None = Field(
        description="Upper end of the interval the phrase implies; null = open", examples=[None]
    )
    qualifier: str = Field(description="exact, at_least, about, vague…", examples=["at_least"])
    source: str | None = Field(
        description="Who the figure is attributed to; null = the reporter's own", examples=["United Nations"]
    )
    date: dt.date = Field(description="The day the figure refers to", examples=["2016-11-09"])
    fact_id: int = Field(description="The fact (`GET /facts/{id}`)", examples=[4790])
    article_id: int = Field(description="The article (`GET /articles/{id}`)", examples=[815])
    reported_at: dt.datetime | None = Field(
        description="When the article was published (else stored), UTC", examples=["2016-11-09T08:30:00Z"]
    )


class TollPart(BaseModel):
    """A part of the latest total that its article gives ("including 12 children")."""

    value: Number = Field(description="The part's value", examples=[12])
    qualifier: str = Field(description="exact, at_least, about, vague…", examples=["exact"])
    subject: str | None = Field(description="Who the part counts, as written", examples=["children"])
    fact_id: int = Field(description="The part's fact (`GET /facts/{id}`)", examples=[4791])


class TollOut(BaseModel):
    """The current toll of one kind at one place."""

    kind: str = Field(description="The kind of fact", examples=["killed"])
    unit: str = Field(description="`people`, or a statistic's unit", examples=["people"])
    location: str | None = Field(description="The place as written in the latest report", examples=["eastern Aleppo"])
    place_name: str | None = Field(
        description="The resolved place; null when the gazetteer did not resolve it "
        "(then reports are grouped by the place as written)",
        examples=["Aleppo"],
    )
    country_code: str | None = Field(description="ISO 3166-1 alpha-2 of the resolved place", examples=["SY"])
    latest: TollValue = Field(description="The most recent total: latest fact date, then most recently stored")
    highest: TollValue = Field(
        description="The highest total reported (its most recent report); "
        "`latest.value < highest.value` is a revision downwards"
    )
    reports: int = Field(description="Number of articles that reported a total", examples=[3])
    first_reported_at: dt.datetime | None = Field(
        description="The first of those articles (UTC)", examples=["2016-11-08T10:00:00Z"]
    )
    last_reported_at: dt.datetime | None = Field(
        description="The last of those articles (UTC)", examples=["2016-11-09T08:30:00Z"]
    )
    breakdown: list[TollPart] = Field(description="Parts of the latest total given by its article, in text order")


def _value(report: TollReport) -> TollValue:
    f = report.fact
    return TollValue(
        value=f.value,
        low=f.low,
        high=f.high,
        qualifier=f.qualifier,
        source=f.source,
        date=f.date,
        fact_id=f.id,
        article_id=f.article_id,
        reported_at=report.reported_at,
    )


def toll_out(toll: Toll) -> TollOut:
    return TollOut(
        kind=toll.kind,
        unit=toll.unit,
        location=toll.location,
        place_name=toll.place_name,
        country_code=toll.country_code,
        latest=_value(toll.latest),
        highest=_value(toll.highest),
        reports=toll.reports,
        first_reported_at=toll.first_reported_at,
        last_reported_at=toll.last_reported_at,
        breakdown=[
            TollPart(value=p.value, qualifier=p.qualifier, subject=p.subject, fact_id=p.id) for p in toll.breakdown
        ],
    )


_REPORT_FIELDS = ("value", "low", "high", "qualifier", "source", "date", "fact_id", "article_id", "reported_at")
CSV_COLUMNS = (
    ["kind", "unit", "location", "place_name", "country_code"]
    + [f"latest_{k}" for k in _REPORT_FIELDS]
    + [f"highest_{k}" for k in _REPORT_FIELDS]
    + ["reports", "first_reported_at", "last_reported_at"]
)


def _csv_row(toll: TollOut) -> list:
    data = toll.model_dump(mode="json")
    row = [data[k] for k in CSV_COLUMNS[:5]]
    for which in ("latest", "highest"):
        row += [data[which][k] for k in _REPORT_FIELDS]
    row += [data["reports"], data["first_reported_at"], data["last_reported_at"]]
    return ["" if v is None else csv_safe(v) for v in row]


def _csv_lines(flt: FactFilter, before: int | None, max_rows: int | None) -> Iterator[str]:
    """Every toll, one page (in a short session of its own) at a time."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    sent = 0
    while max_rows is None or sent < max_rows:
        size = MAX_PAGE if max_rows is None else min(MAX_PAGE, max_rows - sent)
        with Session(get_engine(), expire_on_commit=False) as session:
            tolls, more = toll_page(session, flt, size, before)
            for toll in tolls:
                writer.writerow(_csv_row(toll_out(toll)))
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
        sent += len(tolls)
        if not more or not tolls:
            return
        before = tolls[-1].last_fact_id


TOLLS_DOC = {
    200: {
        "description": "A page of tolls (`format=json`), or every toll as CSV (`format=csv`)",
        "content": {
            "text/csv": {
                "schema": {
                    "type": "string",
                    "description": "Header row, then one row per toll: " + ", ".join(CSV_COLUMNS),
                }
            }
        },
    }
}


@router.get(
    "/tolls",
    response_model=Page[TollOut],
    responses=TOLLS_DOC,
    summary="The current toll per kind and place",
    description="What is the toll now: for the facts matching the filters (the same as `/facts`), one item "
    "per kind and place with the `latest` total (latest fact date, then most recently stored), "
    "the `highest` total, and how many articles reported one. Only totals count (a part such as "
    '"including 12 children" is listed under `breakdown`), and an article counts once per '
    "kind, place and day (its later figure stands). A revision downwards shows as "
    "`latest.value < highest.value`. Newest first (the toll with the most recently stored "
    "report), keyset-paginated; `format=csv` exports every toll.",
)
def list_tolls(
    session: SessionDep,
    flt: FactFilter = Depends(fact_filter),
    limit: int | None = Query(
        None,
        ge=1,
        le=MAX_EXPORT,
        description="Page size for JSON (1–1000, default 100); for csv the most rows to export (default: all)",
        examples=[100],
    ),
    cursor: str | None = Query(None, max_length=64, description=CURSOR_DOC, examples=["aWQ6NDc5MA"]),
    format: Literal["json", "csv"] = Query(
        "json", description="`json` (a page) or `csv` (every toll)", examples=["csv"]
    ),
):
    before = decode_cursor(cursor)
    if format == "csv":
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return StreamingResponse(
            _csv_lines(flt, before, limit),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="tollwatch-tolls-{stamp}.csv"'},
        )
    if limit is None:
        limit = 100
    elif limit > MAX_PAGE:
        raise Problem(
            422, f"limit: must be between 1 and {MAX_PAGE} for a JSON page (got {limit}); use format=csv to export more"
        )
    tolls, more = toll_page(session, flt, limit, before)
    return Page[TollOut](
        items=[toll_out(t) for t in tolls],
        next_cursor=encode_cursor(tolls[-1].last_fact_id) if more and tolls else None,
    )
