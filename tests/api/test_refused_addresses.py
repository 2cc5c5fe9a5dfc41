"""Adding evidence with an address the fetcher would refuse is a 400, before any row is made."""

from __future__ import annotations

import socket

import pytest
from rest_framework.test import APIClient

from claims.models import Claim, Evidence
from claims.services.claims import claim_create
from sources.models import Source
from tests.api.conftest import token_client
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk() -> APIClient:
    return token_client(EditorFactory.create())


@pytest.fixture
def claim() -> Claim:
    return claim_create(text="The harbour will reopen in spring", published=True)


def resolving_to(address: str):
    def fake_getaddrinfo(host, port, *args, **kwargs):
        if host == "intranet.example.org":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    return fake_getaddrinfo


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/admin",
        "http://127.1/",
        "http://0x7f000001/",
        "http://10.0.0.7/page",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.1.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_it_refuses_evidence_at_a_private_or_special_address(desk, claim, url):
    response = desk.post(f"/api/v1/claims/{claim.pk}/evidence/", {"url": url}, format="json")
    assert response.status_code == 400
    assert "url" in response.json()
    # The refusal says how a desk allows an intranet or a test server.
    assert "FACTCHECK_FETCH_ALLOWED_NETS" in str(response.json()["url"])
    assert not Source.objects.exists()
    assert not Evidence.objects.exists()


def test_it_refuses_a_name_that_resolves_to_a_private_address(desk, claim, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", resolving_to("192.168.1.20"))
    body = {"url": "https://intranet.example.org/memo"}
    response = desk.post(f"/api/v1/claims/{claim.pk}/evidence/", body, format="json")
    assert response.status_code == 400
    assert "url" in response.json()
    assert not Source.objects.exists()


def test_it_accepts_a_name_that_cannot_be_resolved_now(desk, claim, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", resolving_to("192.168.1.20"))
    body = {"url": "https://news.unresolvable.example/story"}
    response = desk.post(f"/api/v1/claims/{claim.pk}/evidence/", body, format="json")
    assert response.status_code == 201
    assert Source.objects.get().url == "https://news.unresolvable.example/story"
