"""Who may do what: every endpoint and method against anonymous callers, a read-only token,
an editor's token and an editor's session."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from claims.models import Claim
from tests.api.conftest import API, World

CALLERS = ["anonymous", "reader_token", "editor_token", "editor_session"]
CLIENT_FIXTURES = {
    "anonymous": "api_client",
    "reader_token": "reader_token_client",
    "editor_token": "editor_token_client",
    "editor_session": "editor_session_client",
}

PUBLIC = dict.fromkeys(CALLERS, 200)
DESK_ONLY = {"anonymous": 404, "reader_token": 404, "editor_token": 200, "editor_session": 200}
NOT_ALLOWED = dict.fromkeys(CALLERS, 405)


def write(code: int) -> dict[str, int]:
    return {"anonymous": 401, "reader_token": 403, "editor_token": code, "editor_session": code}


# (method, path, body, expected status by caller). {claim} and the like are the world's ids;
# "hidden_" ones belong to the unpublished claim, which only editors see.
MATRIX: list[tuple[str, str, dict[str, Any] | None, dict[str, int]]] = [
    ("get", "/claims/", None, PUBLIC),
    ("get", "/claims/{claim}/", None, PUBLIC),
    ("get", "/claims/{hidden_claim}/", None, DESK_ONLY),
    ("get", "/claims/{claim}/firmness/", None, PUBLIC),
    ("get", "/claims/{hidden_claim}/firmness/", None, DESK_ONLY),
    ("get", "/claims/{claim}/timeline/", None, PUBLIC),
    ("get", "/claims/{hidden_claim}/timeline/", None, DESK_ONLY),
    ("get", "/claims/{claim}/claimreview/", None, PUBLIC),
    ("get", "/claims/{hidden_claim}/claimreview/", None, DESK_ONLY),
    ("get", "/evidence/{evidence}/", None, PUBLIC),
    ("get", "/evidence/{hidden_evidence}/", None, DESK_ONLY),
    ("get", "/sources/", None, PUBLIC),
    ("get", "/sources/{source}/", None, PUBLIC),
    ("get", "/sources/{hidden_source}/", None, DESK_ONLY),
    ("get", "/sources/{source}/snapshots/", None, PUBLIC),
    ("get", "/sources/{hidden_source}/snapshots/", None, DESK_ONLY),
    ("get", "/sources/{source}/snapshots/2/diff/", None, PUBLIC),
    ("get", "/publishers/", None, PUBLIC),
    ("get", "/publishers/{publisher}/", None, PUBLIC),
    ("get", "/publishers/{hidden_publisher}/", None, DESK_ONLY),
    ("get", "/changes/", None, PUBLIC),
    ("get", "/schema/", None, PUBLIC),
    ("get", "/docs/", None, PUBLIC),
    ("post", "/claims/", {"text": "Gamma will merge with Delta"}, write(201)),
    ("patch", "/claims/{claim}/", {"context": "Said again on Monday."}, write(200)),
    ("patch", "/claims/{hidden_claim}/", {"published": True}, write(200)),
    ("post", "/claims/{claim}/evidence/", {"url": "https://new.example.net/a"}, write(201)),
    ("patch", "/evidence/{evidence}/", {"stance": "refutes"}, write(200)),
    ("delete", "/evidence/{evidence}/?reason=Retracted", None, write(200)),
    ("patch", "/publishers/{publisher}/", {"reliability": 0.4}, write(200)),
    ("put", "/claims/{claim}/", {"text": "Replaced"}, NOT_ALLOWED),
    ("delete", "/claims/{claim}/", None, NOT_ALLOWED),
    ("post", "/claims/{claim}/firmness/", {}, NOT_ALLOWED),
    ("put", "/evidence/{evidence}/", {"stance": "refutes"}, NOT_ALLOWED),
    ("post", "/sources/", {"url": "https://x.example.org/"}, NOT_ALLOWED),
    ("patch", "/sources/{source}/", {"paused": True}, NOT_ALLOWED),
    ("delete", "/sources/{source}/", None, NOT_ALLOWED),
    ("post", "/publishers/", {"name": "New"}, NOT_ALLOWED),
    ("put", "/publishers/{publisher}/", {"name": "New"}, NOT_ALLOWED),
    ("delete", "/publishers/{publisher}/", None, NOT_ALLOWED),
    ("post", "/changes/", {}, NOT_ALLOWED),
]


def fill(path: str, world: World) -> str:
    return API + path.format(
        claim=world.published.pk,
        hidden_claim=world.unpublished.pk,
        evidence=world.published_evidence.pk,
        hidden_evidence=world.unpublished_evidence.pk,
        source=world.public_source.pk,
        hidden_source=world.private_source.pk,
        publisher=world.public_publisher.pk,
        hidden_publisher=world.private_publisher.pk,
    )


def current_etag(path: str, world: World) -> str:
    claim_id = world.unpublished.pk if "{hidden_claim}" in path else world.published.pk
    return Claim.objects.get(pk=claim_id).etag


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    MATRIX,
    ids=[f"{method.upper()} {path}" for method, path, _, _ in MATRIX],
)
def test_each_caller_gets_the_status_the_matrix_states(
    request: pytest.FixtureRequest,
    world: World,
    caller: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    expected: dict[str, int],
) -> None:
    client: APIClient = request.getfixturevalue(CLIENT_FIXTURES[caller])
    headers = {"HTTP_IF_MATCH": current_etag(path, world)} if path.startswith("/claims/{") else {}
    response = getattr(client, method)(fill(path, world), body, format="json", **headers)
    assert response.status_code == expected[caller], response.content[:300]
    if response.status_code >= 400:
        assert "detail" in response.json()


def test_anonymous_writes_are_told_how_to_authenticate(api_client: APIClient, world: World):
    response = api_client.post(f"{API}/claims/", {"text": "Anything"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_refused_write_changes_nothing(reader_token_client: APIClient, world: World):
    before = Claim.objects.get(pk=world.published.pk)
    response = reader_token_client.patch(
        f"{API}/claims/{before.pk}/",
        {"text": "Rewritten by a reader"},
        format="json",
        HTTP_IF_MATCH=before.etag,
    )
    assert response.status_code == 403
    after = Claim.objects.get(pk=before.pk)
    assert (after.text, after.version) == (before.text, before.version)


def test_an_invalid_token_is_refused_even_for_reads(world: World):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(f"{API}/claims/").status_code == 401


def test_the_unpublished_claim_is_missing_from_public_lists(
    api_client: APIClient, reader_token_client: APIClient, editor_token_client: APIClient, world
):
    def ids(client: APIClient) -> set[int]:
        return {item["id"] for item in client.get(f"{API}/claims/").json()["results"]}

    assert ids(api_client) == {world.published.pk}
    assert ids(reader_token_client) == {world.published.pk}
    assert ids(editor_token_client) == {world.published.pk, world.unpublished.pk}
