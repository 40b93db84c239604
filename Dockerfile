# syntax=docker/dockerfile:1
# Build stage: dependencies into a venv (compilers and caches stay here).
FROM python:3.11-slim AS build
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY extractors ./extractors
COPY db ./db
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir .

# Runtime: the venv plus the source tree. PYTHONPATH puts /app before site-packages so that
# the packages run from /app, where `tollwatch migrate` finds alembic/ beside them.
FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /app tollwatch
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY pyproject.toml README.md alembic.ini ./
COPY alembic ./alembic
COPY service ./service
COPY extractors ./extractors
COPY db ./db
RUN mkdir -p /app/data && chown tollwatch /app/data
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    TOLLWATCH_HOST=0.0.0.0 \
    TOLLWATCH_DATABASE_URL=sqlite:////app/data/tollwatch.db
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["tollwatch", "serve"]
