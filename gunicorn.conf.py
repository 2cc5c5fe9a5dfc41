"""gunicorn's settings for the web process, each with its reason (docs/operations.md).

    gunicorn factcheck.wsgi --config gunicorn.conf.py

PORT and WEB_CONCURRENCY come from the environment, as platforms set them.
"""

import multiprocessing
import os

wsgi_app = "factcheck.wsgi"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# Threads in a few processes: a request mostly waits on PostgreSQL or Redis, and a thread is
# cheaper than a process; several processes keep one crash from taking every request with it.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count())))
threads = 4

# Every wait on the outside is bounded (FACTCHECK_SERVICE_TIMEOUT, 1 s; /healthz 2.5 s), so
# a request that runs 30 s is broken: gunicorn kills its worker rather than letting it hang.
timeout = 30
graceful_timeout = 30
keepalive = 5

# A slow leak never grows for ever: each process is replaced after this many requests.
max_requests = 2000
max_requests_jitter = 200

accesslog = "-"
errorlog = "-"
