"""/facts (filtered pages and CSV/NDJSON exports), /facts/{id} with provenance, /articles."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import StreamingResponse
from sqlmodel import Session, select

from db.models import Article, Fact
from db.queries import FactFilter, fact_page, fact_provenance, iter_facts
from extractors.schema import KINDS
from service.core.database import get_engine
from service.web.api.auth import require_read
from service.web.api.common import MAX_ID, Page, clean_text, decode_cursor, encode_cursor, id_page
from service.web.api.deps import SessionDep
from service.web.api.problems import NOT_FOUND, READ_ERRORS, Problem
from service.web.api.schemas import ArticleDetail, ArticleOut, ArticleRef, FactDetail, FactOut, FeedRef, article_detail

router = APIRouter(tags=["facts"], dependencies=[Depends(require_read)], responses=READ_ERRORS)

MAX_VALUE = 1e15  # larger than any count or statistic a sentence states
MAX_PAGE = 1000
MAX_EXPORT = 10_000_000
EXPORT_BATCH = 2000
CURSOR_DOC = "Opaque cursor: the `next_cursor` of the previous page (omit for the first page)"


def scope_filter(
    location: str | None = Query(
        None,
        max_length=200,
        description="The resolved place (exact, case-insensitive) or the place as written "
        "(substring, case-insensitive): `Aleppo` also finds `eastern Aleppo`",
        examples=["Aleppo"],
    ),
    country: str | None = Query(
        None, pattern="^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code of the resolved place", examples=["SY"]
    ),
    source: str | None = Query(
        None,
        max_length=200,
        description="Attribution contains (case-insensitive), e.g. who the figure is attributed to",
        examples=["United Nations"],
    ),
    subject: str | None = Query(
        None, max_length=200, description="Subject contains (case-insensitive)", examples=["civilians"]
    ),
    since: dt.date | None = Query(None, description="Fact date on or after (YYYY-MM-DD)", examples=["2016-11-01"]),
    until: dt.date | None = Query(None, description="Fact date on or before (YYYY-MM-DD)", examples=["2016-11-30"]),
    min_value: float | None = Query(
        None, ge=0, le=MAX_VALUE, allow_inf_nan=False, description="Stated value at least", examples=[10]
    ),
    max_value: float | None = Query(
        None, ge=0, le=MAX_VALUE, allow_inf_nan=False, description="Stated value at most", examples=[1000]
    ),
    q: str | None = Query(
        None, max_length=200, description="Text in the fact's sentence (case-insensitive)", examples=["air strike"]
    ),
    unit: str | None = Query(
        None,
        max_length=32,
        description="Unit, exactly: `people`, or a statistic's unit (`USD`, `percent`, `km`…)",
        examples=["people"],
    ),
) -> FactFilter:
    """Every fact filter except `kind` (shared by /facts and /series)."""
    if since and until and until < since:
        raise Problem(422, f"until: {until.isoformat()} is before since {since.isoformat()}")
    if min_value is not None and max_value is not None and max_value < min_value:
        raise Problem(422, f"max_value: {max_value:g} is below min_value {min_value:g}")
    return FactFilter(
        location=clean_text("location", location),
        country=country.upper() if country else None,
        source=clean_text("source", source),
        subject=clean_text("subject", subject),
        since=since,
        until=until,
        min_value=min_value,
        max_value=max_value,
        q=clean_text("q", q),
        unit=clean_text("unit", unit),
    )


def fact_filter(
    scope: FactFilter = Depends(scope_filter),
    kind: list[str] | None = Query(
        None,
        description="Kind of fact; repeat the parameter or separate with commas for several. One of "
        + ", ".join(KINDS),
        examples=["killed"],
    ),
) -> FactFilter:
    """The filters of /facts (the fields of `db.queries.FactFilter`)."""
    kinds = [k.strip() for value in (kind or []) for k in value.split(",") if k.strip()]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        shown = ", ".join(repr(k[:40]) for k in unknown[:5])
        raise Problem(422, f"kind: unknown kind {shown}; use one of {', '.join(KINDS)}")
    scope.kind = sorted(set(kinds)) or None
    return scope


# --- exports ------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "id",
    "article_id",
    "kind",
    "value",
    "low",
    "high",
    "qualifier",
    "scope",
    "unit",
    "subject",
    "location",
    "place_name",
    "admin1",
    "country_code",
    "latitude",
    "longitude",
    "date",
    "source",
    "span_start",
    "span_end",
    "sentence",
    "extractor_version",
    "created_at",
    "article_url",
    "outlet",
    "feed_id",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection).

    Only text cells are touched: numbers (a negative longitude) are written as numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _number(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


_FLOAT_COLUMNS = ("value", "low", "high")


def _export_row(row: dict) -> dict:
    """A FactExportRow from a row of `iter_facts` (the field names of docs/facts.md)."""
    out = {}
    for key in CSV_COLUMNS:  # the order of FactOut, with span as a pair
        if key == "span_start":
            out["span"] = [row["span_start"], row["span_end"]]
        elif key != "span_end":
            out[key] = row[key]
    for key in _FLOAT_COLUMNS:
        out[key] = _number(out[key])
    if out["date"] is not None and not isinstance(out["date"], str):
        out["date"] = out["date"].isoformat()
    created = out["created_at"]
    if isinstance(created, dt.datetime):
        # SQLite gives naive values back through Core rows; they are UTC
        out["created_at"] = (created if created.tzinfo else created.replace(tzinfo=dt.UTC)).isoformat()
    return out


def _csv_lines(rows: Iterator[dict]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    pending = 0
    for row in rows:
        out = _export_row(row)
        out["span_start"], out["span_end"] = out.pop("span")
        writer.writerow(["" if out[c] is None else csv_safe(out[c]) for c in CSV_COLUMNS])
        pending += 1
        if pending >= 500:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
            pending = 0
    yield buf.getvalue()


def _ndjson_lines(rows: Iterator[dict]) -> Iterator[str]:
    chunk: list[str] = []
    for row in rows:
        # strict JSON: a NaN or Infinity (never stored now) raises rather than being written
        chunk.append(json.dumps(_export_row(row), ensure_ascii=False, separators=(",", ":"), allow_nan=False))
        if len(chunk) >= 500:
            yield "\n".join(chunk) + "\n"
            chunk = []
    if chunk:
        yield "\n".join(chunk) + "\n"


def _session_factory():
    engine = get_engine()
    return lambda: Session(engine, expire_on_commit=False)


EXPORT_DOC = {
    200: {
        "description": "A page of facts (`format=json`), or the export as CSV / NDJSON, streamed",
        "content": {
            "text/csv": {
                "schema": {
                    "type": "string",
                    "description": "Header row, then one row per fact: " + ", ".join(CSV_COLUMNS),
                },
                "example": ",".join(CSV_COLUMNS[:4]) + ",…\r\n4711,812,killed,45,…\r\n",
            },
            "application/x-ndjson": {
                "schema": {"type": "string", "description": "One FactExportRow JSON object per line"},
                "example": '{"id":4711,"article_id":812,"kind":"killed","value":45,…}\n',
            },
        },
    },
}


@router.get(
    "/facts",
    response_model=Page[FactOut],
    responses=EXPORT_DOC,
    summary="List or export facts",
    description="Facts, newest first, filtered. Pages are keyset-paginated on the fact id: a page never "
    "shifts while new facts arrive. `since_id=N` gives only the facts stored after fact N, oldest "
    "first: a poller keeps the last id it received as its watermark. `format=csv` or "
    "`format=ndjson` streams every matching fact (or the first `limit`) with its article URL and "
    "outlet, reading the database in batches.",
)
def list_facts(
    session: SessionDep,
    flt: FactFilter = Depends(fact_filter),
    limit: int | None = Query(
        None,
        ge=1,
        le=MAX_EXPORT,
        description="Page size for JSON (1–1000, default 100); for csv/ndjson the most rows to export (default: all)",
        examples=[100],
    ),
    cursor: str | None = Query(None, max_length=64, description=CURSOR_DOC, examples=["aWQ6NDcxMQ"]),
    format: Literal["json", "csv", "ndjson"] = Query(
        "json", description="`json` (a page), `csv` or `ndjson` (a streamed export)", examples=["csv"]
    ),
    since_id: int | None = Query(
        None,
        ge=0,
        le=MAX_ID,
        description="Only facts stored after this fact "
        "id, oldest first (the watermark of an incremental pull: pass the last "
        "id received)",
        examples=[4711],
    ),
):
    before = decode_cursor(cursor)
    after = None
    if since_id is not None:
        # oldest first: the cursor is the last id of the previous page, so it moves the watermark on
        after, before = max(since_id, before or 0), None
    if format != "json":
        rows = iter_facts(_session_factory(), flt, before_id=before, max_rows=limit, batch=EXPORT_BATCH, after_id=after)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        if format == "csv":
            return StreamingResponse(
                _csv_lines(rows),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="tollwatch-facts-{stamp}.csv"'},
            )
        return StreamingResponse(
            _ndjson_lines(rows),
            media_type="application/x-ndjson",
            headers={"Content-Disposition": f'attachment; filename="tollwatch-facts-{stamp}.ndjson"'},
        )
    if limit is None:
        limit = 100
    elif limit > MAX_PAGE:
        raise Problem(
            422,
            f"limit: must be between 1 and {MAX_PAGE} for a JSON page (got {limit}); "
            "use format=csv or format=ndjson to export more",
        )
    rows, more = fact_page(session, flt, limit, before, after_id=after)
    return Page[FactOut](
        items=[FactOut.of(f) for f in rows], next_cursor=encode_cursor(rows[-1].id) if more and rows else None
    )


@router.get(
    "/facts/{fact_id}",
    response_model=FactDetail,
    responses=NOT_FOUND,
    summary="One fact with provenance",
    description="The fact with its whole provenance chain: sentence and span, the article (URL, title, "
    "outlet), the source feed that brought it, and the extractor version.",
)
def get_fact(session: SessionDep, fact_id: int = Path(ge=1, le=MAX_ID, description="Fact id", examples=[4711])):
    found = fact_provenance(session, fact_id)
    if found is None:
        raise Problem(404, f"fact {fact_id} not found")
    fact, article, feed = found
    out = FactOut.of(fact).model_dump()
    return FactDetail(**out, article=ArticleRef.model_validate(article), feed=FeedRef.model_validate(feed))


@router.get(
    "/articles",
    response_model=Page[ArticleOut],
    summary="List articles",
    description="Ingested articles, newest first (keyset-paginated on the article id).",
)
def list_articles(
    session: SessionDep,
    limit: int = Query(100, ge=1, le=MAX_PAGE, description="Page size (1–1000)", examples=[100]),
    cursor: str | None = Query(None, max_length=64, description=CURSOR_DOC, examples=["aWQ6ODEy"]),
    source_id: int | None = Query(
        None, ge=1, le=MAX_ID, description="Only articles of this source (feed)", examples=[3]
    ),
):
    query = select(Article)
    if source_id is not None:
        query = query.where(Article.source_id == source_id)
    rows, next_cursor = id_page(session, query, Article.id, limit, cursor, newest_first=True)
    return Page[ArticleOut](items=[ArticleOut.model_validate(a) for a in rows], next_cursor=next_cursor)


@router.get(
    "/articles/{article_id}",
    response_model=ArticleDetail,
    responses=NOT_FOUND,
    summary="One article with its text and facts",
)
def get_article(session: SessionDep, article_id: int = Path(ge=1, le=MAX_ID, description="Article id", examples=[812])):
    article = session.get(Article, article_id)
    if article is None:
        raise Problem(404, f"article {article_id} not found")
    facts = session.exec(select(Fact).where(Fact.article_id == article_id).order_by(Fact.span_start, Fact.id)).all()
    return article_detail(article, list(facts))
