"""The fetch every caller uses: the safe client (sources.fetch.client), obeying robots.txt.

The client cannot import the robots module (robots.txt is fetched through the client), so
the gate is handed to it here, in the options.
"""

from __future__ import annotations

from dataclasses import replace

from sources.fetch import robots
from sources.fetch.client import FetchOptions, FetchResult, fetch_url


def fetch(
    url: str, *, etag: str = "", last_modified: str = "", options: FetchOptions | None = None
) -> FetchResult:
    """Fetch `url` (conditionally when `etag`/`last_modified` are known) as the client does,
    asking robots.txt first unless `options.obey_robots` is off; never raises for anything
    the network or the server does."""
    opts = options or FetchOptions.from_settings()
    if opts.obey_robots and opts.robots_gate is None:
        opts = replace(opts, robots_gate=robots.check)
    return fetch_url(url, etag=etag, last_modified=last_modified, options=opts)
