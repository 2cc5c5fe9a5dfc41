"""The Redis transport the worker and the web publish through, with one repair.

When a worker loses Redis, Celery 5.7 first collects the lost connection (kombu then sets
the transport's `client` to None) and afterwards closes it, which closes its channels and
gives back their unacknowledged messages; a check still running acknowledges its message
on the old channel when it ends. Each of those builds a Redis client from the transport's
`client`, so with one message in flight the worker died of
`AttributeError: 'NoneType' object has no attribute 'hostname'` instead of reconnecting.

Here the transport keeps the connection it was made for. The old channels then fail the
way kombu expects while Redis is down (a ConnectionError, which it ignores) and succeed
once Redis is back: the lost connection's messages are given back or acknowledged.
"""

from __future__ import annotations

from typing import Any

from kombu.transport import redis


class RedisTransport(redis.Transport):
    _client: Any = None

    @property
    def client(self) -> Any:
        return self._client

    @client.setter
    def client(self, connection: Any) -> None:
        if connection is not None:  # kombu's "forget it" when it collects the transport
            self._client = connection
