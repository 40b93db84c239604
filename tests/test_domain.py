"""Domain operations without HTTP: what `service.domain` refuses, and how, for the API and the CLI alike."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from db.models import Article, Source


def test_sources_add_change_remove(engine, settings_env):
    from service.domain.errors import Conflict, Invalid, NotFound
    from service.domain.sources import create_source, get_source, remove_source, update_source

    settings_env(allow_private_urls="false")
    with Session(engine, expire_on_commit=False) as session:
        with pytest.raises(Invalid, match="^url: "):
            create_source(session, "http://127.0.0.1:9/feed.xml")  # not public
        with pytest.raises(Invalid, match="scheme"):
            create_source(session, "file:///etc/passwd")  # the API may not read the server's disk
        local = create_source(session, "file:///tmp/feed.xml", local_operator=True)  # the CLI may
        assert local.name == "feed.xml" and local.status == "new"
        with pytest.raises(Conflict, match="exists already"):
            create_source(session, " file:///tmp/feed.xml ", local_operator=True)
        assert update_source(session, local.id, {"enabled": False, "name": None}).status == "disabled"
        assert get_source(session, local.id).name == "feed.xml"  # None leaves a field alone
        kept = create_source(session, "file:///tmp/other.xml", local_operator=True)
        session.add(Article(source_id=kept.id, guid_key="k", text="Three people were killed."))
        session.commit()
        assert remove_source(session, local.id) is True  # no articles: deleted
        assert remove_source(session, kept.id) is False  # articles stay traceable: disabled
        assert session.get(Source, kept.id).enabled is False
        with pytest.raises(NotFound, match=f"source {local.id} not found"):
            get_source(session, local.id)


def test_rules_need_existing_endpoints(engine, settings_env):
    from service.domain import alerts
    from service.domain.errors import Conflict, Invalid, NotFound

    with Session(engine, expire_on_commit=False) as session:
        endpoint = alerts.create_webhook(session, "http://127.0.0.1:9/hook")
        assert endpoint.secret.startswith("whsec_")
        with pytest.raises(Invalid, match="webhook_ids: no webhook with id 999"):
            alerts.create_rule(
                session,
                name="r",
                enabled=True,
                filter={},
                condition={"type": "new"},
                webhook_ids=[endpoint.id, 999],
                cooldown_minutes=0,
            )
        rule = alerts.create_rule(
            session,
            name="r",
            enabled=True,
            filter={},
            condition={"type": "new"},
            webhook_ids=[endpoint.id, endpoint.id],
            cooldown_minutes=0,
        )
        assert rule.webhook_ids == [endpoint.id]
        alerts.update_webhook(session, endpoint.id, {"enabled": False})
        with pytest.raises(Conflict, match="disabled"):
            alerts.queue_ping(session, endpoint.id)
        alerts.delete_webhook(session, endpoint.id)
        assert alerts.get_rule(session, rule.id).webhook_ids == []
        alerts.delete_rule(session, rule.id)
        with pytest.raises(NotFound):
            alerts.get_rule(session, rule.id)
