"""The ten-line receiver in docs/webhooks.md verifies real deliveries, and refuses forgeries."""

from __future__ import annotations

import re
import threading
import time
from http.server import HTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.webhooks.conftest import subscribe
from webhooks import signing
from webhooks.models import Delivery, DeliveryState
from webhooks.sending import subscription_send_due
from webhooks.services import subscription_ping

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def documented_receiver(secret: str) -> Any:
    block = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert block is not None
    code = "\n".join(
        line for line in block.group(1).splitlines() if not line.startswith("HTTPServer(")
    )
    assert len([line for line in code.splitlines() if line.strip()]) <= 14
    namespace: dict = {}
    exec(code, namespace)
    namespace["SECRET"] = secret.encode()
    return namespace["Receiver"]


@pytest.fixture
def docs_receiver(quick_webhooks, request):
    def start(secret: str) -> str:
        handler = documented_receiver(secret)
        handler.log_message = lambda *args: None
        server = HTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        request.addfinalizer(server.shutdown)
        return f"http://127.0.0.1:{server.server_address[1]}/hook"

    return start


def test_the_documented_receiver_accepts_a_signed_delivery(docs_receiver):
    subscription = subscribe("http://127.0.0.1:9/placeholder")
    url = docs_receiver(subscription.plain_secret)  # type: ignore[attr-defined]
    subscription.url = url
    subscription.save(update_fields=["url"])
    delivery = subscription_ping(subscription=subscription)
    subscription_send_due(subscription_id=subscription.pk)
    done = Delivery.objects.get(pk=delivery.pk)
    assert done.state == DeliveryState.DELIVERED
    assert done.attempt_log.get().status_code == 204


def post(url: str, body: bytes, timestamp: int, signed_with: str) -> int:
    headers = {
        "X-Factcheck-Timestamp": str(timestamp),
        "X-Factcheck-Signature": signing.signature(signed_with, timestamp, body),
    }
    return httpx.post(url, content=body, headers=headers, trust_env=False).status_code


def test_the_documented_receiver_refuses_a_forged_or_replayed_delivery(docs_receiver):
    url = docs_receiver("whsec_the_real_one")
    now = int(time.time())
    assert post(url, b"{}", now, "whsec_the_real_one") == 204
    assert post(url, b"{}", now, "whsec_a_guess") == 401
    assert post(url, b"{}", now - 3600, "whsec_the_real_one") == 401  # a replay
