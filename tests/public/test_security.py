"""Every piece of user text is escaped; a strict CSP holds on the public pages, and nothing
on them would need it relaxed (no inline style or script)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from claims.models import Claim, EventKind
from claims.services.claims import claim_create, claim_set_verdict
from claims.services.evidence import evidence_add, evidence_deprecate
from claims.services.timeline import claim_event_add
from public.csp import POLICY
from tests.factories import PublisherFactory, SourceFactory
from tests.public.conftest import Story

SCRIPT = "<script>alert(1)</script>"
ATTR = '"><img src=x onerror=alert(1)>'
JS = "javascript:alert(1)"
RAW = [SCRIPT, "<img src=x", "<script>"]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hostile(db) -> Claim:
    """A claim whose every free-text field carries a payload."""
    claim = claim_create(
        text=f"Acme {SCRIPT} opens {ATTR}",
        claimant=ATTR,
        context=SCRIPT,
        tags=[f"x{SCRIPT}"],
        published=True,
    )
    publisher = PublisherFactory.create(name=f"{ATTR}{SCRIPT}")
    source = SourceFactory.create(publisher=publisher, title=SCRIPT, url=JS, paused=True)
    evidence_add(claim=claim, source=source, stance="supports", quote=f"{JS} {SCRIPT} {ATTR}")
    other = SourceFactory.create(publisher=publisher, title=ATTR, paused=True, health="dead")
    other.archive_url = JS
    other.save()
    withdrawn = evidence_add(claim=claim, source=other, stance="refutes", quote=ATTR)
    evidence_deprecate(evidence=withdrawn, reason=SCRIPT)
    claim_set_verdict(claim=claim, verdict="false", note=f"{SCRIPT}{ATTR}")
    claim_event_add(claim=claim, kind=EventKind.SOURCE_CHANGED, summary=f"{ATTR}{SCRIPT}")
    return claim


def hostile_urls(claim: Claim) -> list[str]:
    tag = claim.tags.get()
    return [
        "/claims/",
        "/claims/?q=Acme",
        claim.get_absolute_url(),
        f"/tags/{tag.slug}/",
        "/claims/feed.atom",
        f"/claims/{claim.slug}/feed.atom",
    ]


def assert_no_raw_payload(body: str) -> None:
    for payload in RAW:
        assert payload not in body
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", body, re.I)


def test_no_payload_reaches_any_page_or_feed_unescaped(client, hostile):
    for url in hostile_urls(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_raw_payload(response.content.decode())


def test_the_payloads_are_shown_as_text(client, hostile):
    html = client.get(hostile.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_javascript_url_never_becomes_a_link(client, hostile):
    html = client.get(hostile.get_absolute_url()).content.decode()
    assert 'href="#" rel="nofollow noopener noreferrer"' in html
    assert JS in html  # the quote still says it, as text


def test_the_json_ld_escapes_markup_and_keeps_the_text(client, hostile):
    html = client.get(hostile.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    assert "\\u003Cscript\\u003E" in block.group(1)
    assert "<" not in block.group(1) and ">" not in block.group(1)
    assert json.loads(block.group(1))["claimReviewed"] == hostile.text


def test_atom_summaries_are_escaped_html_and_titles_plain_text(client, hostile):
    for url in ("/claims/feed.atom", f"/claims/{hostile.slug}/feed.atom"):
        feed = ET.fromstring(client.get(url).content)
        entries = feed.findall(f"{ATOM}entry")
        assert entries
        for entry in entries:
            summary = entry.find(f"{ATOM}summary")
            assert summary is not None and summary.get("type") == "html"
            assert "<script" not in (summary.text or "")
            assert "<img" not in (summary.text or "")
        titles = [e.findtext(f"{ATOM}title") or "" for e in entries]
        assert any(SCRIPT in title for title in titles)  # text: readers show it as it is


def test_a_bad_filter_value_is_echoed_escaped(client, db):
    response = client.get("/claims/", {"verdict": SCRIPT, "level": ATTR})
    assert response.status_code == 400
    assert_no_raw_payload(response.content.decode())
    assert "&lt;script&gt;" in response.content.decode()


PUBLIC = ["/claims/", "/claims/{slug}/", "/tags/cars/", "/claims/feed.atom", "/claims/nope/"]


@pytest.mark.parametrize("template", [*PUBLIC, "/claims/?verdict=nope", "/"])
def test_public_responses_carry_the_strict_policy(client, story: Story, template):
    response = client.get(template.format(slug=story.claim.slug))
    assert response["Content-Security-Policy"] == POLICY


def test_the_policy_allows_nothing_inline_and_no_other_origin():
    directives = dict(d.split(" ", 1) for d in POLICY.split("; "))
    assert "unsafe-inline" not in POLICY and "unsafe-eval" not in POLICY
    assert directives["default-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["script-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/docs/"])
def test_the_desks_own_tools_keep_working_outside_the_policy(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


@pytest.mark.parametrize(
    "template", ["/claims/", "/claims/{slug}/", "/tags/cars/", "/claims/nope/"]
)
def test_pages_have_no_inline_style_or_script_for_the_policy_to_block(
    client, story: Story, template
):
    html = client.get(template.format(slug=story.claim.slug)).content.decode()
    assert not re.search(r"<[^>]+\sstyle\s*=", html)
    assert "<style" not in html
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all(tag == '<script type="application/ld+json">' for tag in scripts)


def test_the_favicon_is_served_where_browsers_ask_for_it(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/claims/favicon.svg")
