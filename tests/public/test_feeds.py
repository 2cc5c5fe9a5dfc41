"""Atom feeds: every published change, newest first, each linking to its place on the page."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

from django.test import Client

from claims.models import ClaimEvent
from claims.services.claims import claim_create, claim_set_verdict, claim_update
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


def test_the_site_feed_lists_what_readers_follow_newest_first(client, story: Story):
    feed = entries(client, "/claims/feed.atom")
    news = list(ClaimEvent.objects.public().newsworthy().order_by("-at", "-id"))
    assert [link_of(e).rsplit("#event-", 1)[1] for e in feed] == [str(e.pk) for e in news]
    assert {e.kind for e in news} <= {
        "verdict_changed",
        "firmness_changed",
        "published",
        "corrected",
    }
    assert len(news) < ClaimEvent.objects.public().count()  # evidence, sources: not in it


def test_a_firmness_score_moving_within_its_level_is_not_news(client, db):
    claim = claim_create(text="Acme will open a plant in Leeds", published=True)
    claim.events.create(
        kind="firmness_changed",
        summary="Firmness 20 (reported) → 24 (reported)",
        data={"previous_score": 20, "previous_level": "reported", "score": 24, "level": "reported"},
    )
    moved = claim.events.create(
        kind="firmness_changed",
        summary="Firmness 24 (reported) → 60 (corroborated)",
        data={
            "previous_score": 24,
            "previous_level": "reported",
            "score": 60,
            "level": "corroborated",
        },
    )
    feed = entries(client, f"/claims/{claim.slug}/feed.atom")
    titles = [e.findtext(f"{ATOM}title") for e in feed]
    assert titles == [f"Now corroborated: {claim.text}", f"New claim: {claim.text}"]
    summary = feed[0].findtext(f"{ATOM}summary") or ""
    assert "now reads corroborated (it read reported); firmness 60 of 100" in summary
    assert link_of(feed[0]).endswith(f"#event-{moved.pk}")


def test_verdicts_publication_and_corrections_are_said_in_plain_words(client, db):
    claim = claim_create(text="Acme will open a plant in Leeds")
    claim_update(claim=claim, published=True)
    claim_set_verdict(claim=claim, verdict="confirmed", note="Acme announced it in a statement.")
    claim_update(claim=claim, text="Acme will open a plant in Leeds in 2027")
    claim_update(claim=claim, expected_by=datetime.date(2027, 12, 31))  # not news
    feed = entries(client, f"/claims/{claim.slug}/feed.atom")
    titles = [e.findtext(f"{ATOM}title") or "" for e in feed]
    summaries = [e.findtext(f"{ATOM}summary") or "" for e in feed]
    assert [t.split(":")[0] for t in titles][:3] == [
        "Corrected",
        "Verdict changed to Confirmed",
        "New claim",
    ]
    assert "Verdict changed to Confirmed: Acme announced it in a statement." in summaries[1]
    assert "now reads “Acme will open a plant in Leeds in 2027”" in summaries[0]
    assert not any("linked" in s or "Claim edited" in s for s in summaries)


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
    news = ClaimEvent.objects.public().newsworthy().filter(claim=story.claim)
    assert len(feed) == news.count() > 0
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


def test_the_desk_feed_carries_everything_for_editors_only(editor_client, story: Story):
    claim_flag_for_review(claim=story.claim, code="test", message="Look again at the quote")
    draft = claim_create(text="A secret draft", published=False)
    assert Client().get("/desk/feed.atom").status_code == 404
    response = editor_client.get("/desk/feed.atom")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    feed = ET.fromstring(response.content).findall(f"{ATOM}entry")
    body = response.content.decode()
    assert "Look again at the quote" in body and draft.text in body
    assert len(feed) == min(ClaimEvent.objects.count(), FEED_SIZE)
