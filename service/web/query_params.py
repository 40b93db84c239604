"""Unknown query parameters are refused: a misspelt filter must not silently return every fact."""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from service.web.api.problems import Problem

_DECLARED: dict[int, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def declared_query_params(route: APIRoute) -> frozenset[str]:
    """The names (aliases) of every query parameter the route and its dependencies declare."""
    names = _DECLARED.get(id(route))
    if names is None:
        names = frozenset(_query_names(route.dependant))
        _DECLARED[id(route)] = names
    return names


def reject_unknown_query_params(request: Request) -> None:
    """A 400 naming the first query parameter the route does not declare (an app-wide dependency)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = declared_query_params(route)
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in known]
    if unknown:
        shown = ", ".join(repr(name[:40]) for name in unknown[:5])
        accepted = ", ".join(sorted(known)) or "none"
        raise Problem(
            400,
            f"{unknown[0][:40]}: unknown query parameter {shown}; this route accepts: {accepted}",
            title="Unknown query parameter",
        )
