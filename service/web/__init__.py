"""The HTTP face: `app` builds the FastAPI application from the REST API (`api/`), the dashboard
(`dashboard/`), the request middleware and /metrics."""
