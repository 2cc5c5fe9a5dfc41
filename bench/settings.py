"""The service's settings plus the bare baseline views that benchmarks compare against."""

from factcheck.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
