"""What every stage uses: `settings` (env vars TOLLWATCH_*), `logs`, `net` (the SSRF guard and deadline for
every outbound request), `runtime` (CPU lane, heap freeze) and `metrics` (Prometheus counters)."""
