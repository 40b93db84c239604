"""The HTTP face: `app` builds the FastAPI application from the REST API (`api/`: routers, schemas,
problem+json, auth, `deps.SessionDep`), the dashboard (`dashboard/`), the request middleware and /metrics.
Routers call `service.domain` for anything that changes configuration."""
