# claimdesk API: migrates the database, loads the seeds into an empty one, serves on :8000
# (on SQLite with a webhook worker inside). The same image runs the webhook workers
# of a PostgreSQL deployment: `docker run ... claimdesk claimdesk worker` (README,
# "Past one machine"): N API containers and M worker containers on one database.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CLAIMDESK_DATABASE_URL=sqlite:////var/lib/claimdesk/claimdesk.db \
    CLAIMDESK_RATE_LIMIT=true

WORKDIR /srv/claimdesk
RUN useradd --system --uid 10001 --home-dir /srv/claimdesk claimdesk \
    && mkdir -p /var/lib/claimdesk \
    && chown claimdesk /var/lib/claimdesk

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY seeds ./seeds
# Editable, so that migrations/ and seeds/ are found beside the package.
RUN python -m pip install -e .

USER 10001
EXPOSE 8000
VOLUME ["/var/lib/claimdesk"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# Both commands stop cleanly on SIGTERM (docker stop).
STOPSIGNAL SIGTERM
CMD ["claimdesk", "serve", "--host", "0.0.0.0", "--port", "8000"]
