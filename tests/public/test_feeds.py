"""Atom feeds: every published change, newest first, each linking to its place on the page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from claims.models import ClaimEvent
from claims.services.claims import claim_create, claim_set_verdict
from claims.services.timeline import claim_flag_for_review
from public.feeds import FEED_SIZE
from tests.public.conftest import Story

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url: str) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def link_of(entry: ET.Element) -> str:
    found = entry.find(f"{ATOM}link")
    assert found is not None
    return found.get("href") or ""


def test_the_site_feed_lists_public_changes_newest_first(client, story: Story):
    feed = entries(client, "/claims/feed.atom")
    public = list(ClaimEvent.objects.public().order_by("-at", "-id"))
    assert [link_of(e).rsplit("#event-", 1)[1] for e in feed] == [str(e.pk) for e in public]
    assert feed[0].findtext(f"{ATOM}title") == (
        f"{public[0].get_kind_display()}: {story.claim.text}"
    )


def test_review_flags_and_unpublished_claims_stay_out_of_the_feed(client, story: Story):
    claim_flag_for_review(claim=story.claim, code="test", message="Look again at the quote")
    draft = claim_create(text="A secret draft", published=False)
    claim_set_verdict(claim=draft, verdict="false", note="Draft verdict")
    body = client.get("/claims/feed.atom").content.decode()
    assert "Look again at the quote" not in body
    assert "A secret draft" not in body
    assert "Draft verdict" not in body


def test_every_entry_links_to_an_anchor_on_the_claim_page(client, story: Story):
    page = client.get(story.claim.get_absolute_url()).content.decode()
    anchors = set(re.findall(r'id="(event-\d+)"', page))
    feed = entries(client, f"/claims/{story.claim.slug}/feed.atom")
    assert feed
    for entry in feed:
        path, anchor = link_of(entry).split("#")
        assert path.endswith(story.claim.get_absolute_url())
        assert anchor in anchors


def test_entry_ids_are_unique_and_stable(client, story: Story):
    first = [e.findtext(f"{ATOM}id") for e in entries(client, "/claims/feed.atom")]
    claim_set_verdict(claim=story.claim, verdict="disputed", note="Now disputed.")
    second = [e.findtext(f"{ATOM}id") for e in entries(client, "/claims/feed.atom")]
    assert len(set(first)) == len(first)
    assert second[1:] == first[: len(second) - 1]


def test_a_claims_feed_carries_only_that_claim(client, story: Story):
    other = claim_create(text="Another published claim", published=True)
    feed = entries(client, f"/claims/{story.claim.slug}/feed.atom")
    assert len(feed) == ClaimEvent.objects.public().filter(claim=story.claim).count()
    assert all(other.slug not in link_of(e) for e in feed)


def test_the_feed_is_capped(client, db):
    claim = claim_create(text="A busy claim", published=True)
    for n in range(FEED_SIZE):
        claim_set_verdict(claim=claim, verdict="disputed" if n % 2 else "false", note=f"{n}")
    assert len(entries(client, "/claims/feed.atom")) == FEED_SIZE
    assert len(entries(client, f"/claims/{claim.slug}/feed.atom")) == FEED_SIZE


def test_the_summary_is_the_event_in_words(client, story: Story):
    feed = entries(client, f"/claims/{story.claim.slug}/feed.atom")
    verdicts = [e for e in feed if (e.findtext(f"{ATOM}title") or "").startswith("Verdict")]
    summary = verdicts[0].findtext(f"{ATOM}summary") or ""
    assert "Acme said so in a statement." in summary


def test_an_unknown_claim_has_no_feed(client, db):
    assert client.get("/claims/no-such-claim/feed.atom").status_code == 404
