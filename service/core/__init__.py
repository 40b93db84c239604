"""What every stage uses: `settings` (env vars TOLLWATCH_*), `database` (the engine of TOLLWATCH_DATABASE_URL),
`logs`, `net` (the SSRF guard, deadline and Retry-After for every outbound request), `runtime` (CPU lane,
heap freeze, WORKER_ID) and `metrics` (Prometheus counters)."""
