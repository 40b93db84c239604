"""The `tollwatch` command.

Each sub-command imports what it needs when it runs: `tollwatch extract` starts without the
database and web stack, `tollwatch migrate` without the extractor's models."""

from __future__ import annotations

import argparse
import json
import sys


def _cmd_extract(args) -> int:
    from service.cli.extract import run_file, run_jsonl

    if args.jsonl:
        return run_jsonl(sys.stdin, sys.stdout)
    if not args.file:
        print("tollwatch extract: give FILE (or -) or --jsonl", file=sys.stderr)
        return 2
    return run_file(args.file, args.published, sys.stdout)


def _announce_database() -> None:
    """Say which database and settings file a command opened (stderr: stdout stays machine-readable)."""
    from service.core.settings import database_label, settings_file

    found = settings_file()
    where = str(found) if found.is_file() else f"environment only, no {found}"
    print(f"tollwatch: {database_label()} (settings: {where})", file=sys.stderr)


def _cmd_migrate(args) -> int:
    from service.core.database import migrate

    _announce_database()
    migrate()
    print("database is at the latest schema")
    return 0


def _cmd_poll(args) -> int:
    from service.core.database import migrate
    from service.demo import ensure_demo_source
    from service.ingest.polling import run_cycle

    _announce_database()
    migrate()
    ensure_demo_source()
    results = run_cycle(args.source_id, force=True)
    for result in results:
        print(json.dumps(result))
    return 0 if all(r["outcome"] != "error" for r in results) else 1


def _cmd_sources(args) -> int:
    from sqlmodel import Session, select

    from db.models import Source
    from service.core.database import get_engine, migrate
    from service.domain.errors import DomainError
    from service.domain.sources import create_source

    _announce_database()
    migrate()
    with Session(get_engine(), expire_on_commit=False) as session:
        if args.sources_cmd == "add":
            try:
                source = create_source(session, args.url, args.name, args.interval, local_operator=True)
            except DomainError as exc:
                print(f"tollwatch sources add: {exc.detail}", file=sys.stderr)
                return 2
            print(json.dumps({"id": source.id, "name": source.name, "url": source.url}))
        else:
            for s in session.exec(select(Source).order_by(Source.id)):
                print(f"{s.id}\t{s.status}\t{s.name}\t{s.url}")
    return 0


def _cmd_serve(args) -> int:
    import uvicorn

    from service.core.logs import configure_logging
    from service.core.settings import get_settings

    configure_logging()
    settings = get_settings()
    _announce_database()
    if args.workers > 1 and settings.scheduler:
        # APScheduler 3 keeps its job store in one process: N uvicorn workers would run N schedulers.
        print(
            "tollwatch serve: --workers > 1 needs TOLLWATCH_SCHEDULER=false; run the poller and webhook "
            "sender as `tollwatch worker` processes instead",
            file=sys.stderr,
        )
        return 2
    uvicorn.run(
        "service.web.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers,
        log_config=None,
        proxy_headers=False,
    )
    return 0


def _cmd_worker(args) -> int:
    from service.jobs.worker import run_worker

    return run_worker()


def _cmd_reextract(args) -> int:
    from service.jobs.reextract import reextract_all

    _announce_database()
    counts = reextract_all()
    print(json.dumps(counts))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The `tollwatch` argument parser with its sub-commands."""
    parser = argparse.ArgumentParser(prog="tollwatch", description="Casualty and statistic monitoring for news feeds.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="API, dashboard and the embedded scheduler")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int, default=1, help="API processes (needs TOLLWATCH_SCHEDULER=false when > 1)")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("worker", help="poller and webhook sender without the API")
    p.set_defaults(func=_cmd_worker)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.set_defaults(func=_cmd_migrate)

    p = sub.add_parser("poll", help="poll every source (or one) now, once")
    p.add_argument("source_id", nargs="?", type=int)
    p.set_defaults(func=_cmd_poll)

    p = sub.add_parser("sources", help="add or list sources")
    ssub = p.add_subparsers(dest="sources_cmd", required=True)
    a = ssub.add_parser("add")
    a.add_argument("url")
    a.add_argument("--name")
    a.add_argument("--interval", type=int, help="poll interval in seconds")
    ssub.add_parser("list")
    p.set_defaults(func=_cmd_sources)

    p = sub.add_parser("extract", help="extract facts from text (docs/extract-cli.md)")
    p.add_argument("file", nargs="?", help="a plain-text article, or - for stdin")
    p.add_argument("--jsonl", action="store_true", help="JSON lines in, JSON lines out")
    p.add_argument("--published", help="publication date (YYYY-MM-DD or ISO datetime)")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("reextract", help="re-run the extractor over stored article text")
    p.set_defaults(func=_cmd_reextract)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `tollwatch` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
