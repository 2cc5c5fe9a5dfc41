"""The OpenAPI schema and its documentation page."""

from __future__ import annotations

import json
import os
import re

import pytest
from django.core.management import call_command

from tests.api.conftest import API

pytestmark = pytest.mark.django_db

OPENAPI_JSON = "application/vnd.oai.openapi+json"


@pytest.fixture
def schema(api_client) -> dict:
    response = api_client.get(f"{API}/schema/", HTTP_ACCEPT=OPENAPI_JSON)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "factcheck API"


def test_the_schema_covers_every_endpoint(schema):
    assert set(schema["paths"]) >= {
        f"{API}/changes/",
        f"{API}/claims/",
        f"{API}/claims/{{id}}/",
        f"{API}/claims/{{id}}/claimreview/",
        f"{API}/claims/{{id}}/evidence/",
        f"{API}/claims/{{id}}/firmness/",
        f"{API}/claims/{{id}}/timeline/",
        f"{API}/evidence/{{id}}/",
        f"{API}/publishers/",
        f"{API}/publishers/{{id}}/",
        f"{API}/sources/",
        f"{API}/sources/{{id}}/",
        f"{API}/sources/{{id}}/snapshots/",
        f"{API}/sources/{{id}}/snapshots/{{number}}/diff/",
        f"{API}/webhooks/",
        f"{API}/webhooks/{{id}}/",
        f"{API}/webhooks/{{id}}/ping/",
        f"{API}/webhooks/{{id}}/rotate-secret/",
        f"{API}/webhooks/{{webhook_id}}/deliveries/",
        f"{API}/webhooks/{{webhook_id}}/deliveries/{{delivery_id}}/",
        f"{API}/webhooks/{{webhook_id}}/deliveries/{{delivery_id}}/redeliver/",
    }


def test_the_schema_documents_each_kind_of_webhook_payload(schema):
    components = schema["components"]["schemas"]
    one_of = {item["$ref"].rsplit("/", 1)[1] for item in components["WebhookPayload"]["oneOf"]}
    assert one_of == {
        "ClaimWebhookPayload",
        "EvidenceWebhookPayload",
        "SourceWebhookPayload",
        "PingWebhookPayload",
    }
    claim_data = components["ClaimWebhookPayload"]["properties"]["data"]
    assert claim_data["$ref"].endswith("/ClaimDetail")
    assert set(components["ClaimWebhookPayload"]["required"]) >= {"id", "event", "data"}


def test_every_operation_declares_the_errors_it_can_answer(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "429"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in {"post", "patch", "delete"}:
                assert {"403", "415"} <= codes, (method, path)


def test_the_documented_preconditions_and_conflicts_are_declared(schema):
    claim = schema["paths"][f"{API}/claims/{{id}}/"]
    assert {"412", "428"} <= set(claim["patch"]["responses"])
    assert "304" in claim["get"]["responses"]
    evidence = schema["paths"][f"{API}/claims/{{id}}/evidence/"]["post"]
    assert "409" in evidence["responses"]


def test_spectacular_validates_the_schema_without_warnings():
    call_command("spectacular", validate=True, fail_on_warn=True, file=os.devnull)


def test_the_docs_page_answers_and_loads_nothing_from_a_cdn(api_client):
    response = api_client.get(f"{API}/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page)
    assert assets
    assert all(not a.startswith(("http:", "https:", "//")) for a in assets), assets
    assert "drf_spectacular_sidecar" in page
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com"):
        assert cdn not in page
