"""What a reader sees on /claims/<slug>/: the claim, verdict, firmness, evidence, history."""

from __future__ import annotations

import datetime
import itertools
import json
import re
from html import unescape
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from claims.claimreview import claim_review
from claims.models import Claim, Verdict
from claims.services.claims import claim_create
from claims.services.evidence import evidence_add
from claims.services.timeline import claim_flag_for_review
from sources.models import Source
from tests.factories import SourceFactory
from tests.public.conftest import Story, link


def page(client, claim: Claim) -> str:
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, ident: str) -> str:
    """The markup of <section id=ident>…, up to the next top-level section."""
    start = html.index(f'id="{ident}"')
    end = html.find('<section class="section"', start)
    return html[start : end if end != -1 else len(html)]


BLOCK = re.compile(
    r"</?(?:p|li|ol|ul|h[1-6]|div|section|blockquote|footer|header|nav|title)\b[^>]*>"
)


def text_of(html: str) -> str:
    """The words a reader sees: block elements apart, inline ones run together."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", BLOCK.sub(" ", html))).split())


def evidence_item(html: str, evidence_id: int) -> tuple[str, str]:
    """(the item's classes, its markup)."""
    found = re.search(rf'<li class="([^"]*)" id="evidence-{evidence_id}">(.*?)</li>', html, re.S)
    assert found, f"no evidence item {evidence_id}"
    return found.group(1), found.group(2)


def test_the_page_names_the_claim_its_claimant_and_when_it_was_first_seen(client, story):
    text = text_of(page(client, story.claim))
    assert "Acme will open a battery plant in Sunderland" in text
    assert "Claimed by Acme Motors, first seen 22 Jan 2026." in text


def test_the_verdict_is_told_in_words_with_the_editors_latest_note(client, story):
    html = page(client, story.claim)
    verdict_card = html[html.index('class="card card-verdict') : html.index("card-firmness")]
    assert "Confirmed" in text_of(verdict_card)
    assert "Acme said so in a statement." in text_of(verdict_card)


def test_the_meter_gives_the_score_and_the_level_in_text(client, story):
    claim = story.claim
    html = page(client, claim)
    words = f"{claim.firmness_score} of 100 · {claim.get_firmness_level_display()}"
    assert words in text_of(html)
    assert f'<rect class="meter-fill" width="{claim.firmness_score}"' in html


def test_the_firmness_is_explained_in_plain_words(client, story):
    why = text_of(section(page(client, story.claim), "why"))
    for line in story.claim.firmness_explanation:
        assert line["text"] in why


def test_evidence_is_grouped_by_what_it_says_about_the_claim(client, story):
    evidence = section(page(client, story.claim), "evidence")
    groups = {
        stance: evidence[evidence.index(f'id="group-{stance}"') :].split("</section>")[0]
        for stance in ("supports", "refutes", "discusses")
    }
    assert "We will build the plant" in groups["supports"]
    assert "No such plan" in groups["refutes"]
    assert "Talks go on" in groups["discusses"]
    assert "No such plan" not in groups["supports"]


def test_each_piece_names_its_publisher_source_quote_and_the_sources_health(client, story):
    _, item = evidence_item(page(client, story.claim), story.supporting.pk)
    assert "Acme Motors press office" in item
    assert f'href="{story.supporting.source.url}" rel="nofollow noopener noreferrer"' in item
    assert "<blockquote" in item and "We will build the plant" in item
    assert "Online" in item


def test_a_dead_source_links_to_its_archived_copy(client, story):
    _, item = evidence_item(page(client, story.claim), story.dead.pk)
    assert "Dead link" in item
    assert 'href="https://web.archive.org/web/2026/https://gone.example.org/story"' in item


def test_deprecated_evidence_is_struck_through_with_its_reason(client, story):
    classes, item = evidence_item(page(client, story.claim), story.withdrawn.pk)
    assert "is-deprecated" in classes
    assert re.search(r"<s><a [^>]*>Misread report</a></s>", item)
    assert "It was about another company." in item


def test_automatically_labelled_evidence_says_so_once_per_section(client, story):
    for _ in range(3):
        evidence_add(
            claim=story.claim,
            source=SourceFactory.create(paused=True),
            stance="supports",
            labelled_by="automatic",
        )
    html = page(client, story.claim)
    assert html.count("Read automatically</span>") == 3  # a short badge on each piece
    assert html.count("no editor has checked") == 1  # the explanation once, for the section
    assert "3 pieces here were read automatically" in html


def test_the_history_lists_verdict_changes_with_notes_and_source_changes(client, story):
    history = text_of(section(page(client, story.claim), "history"))
    assert "Verdict changed Unverified → to Confirmed Acme said so in a statement." in history
    assert "Source dead The page that died is dead." in history


def test_the_history_keeps_the_review_queue_to_the_desk(client, story):
    claim_flag_for_review(claim=story.claim, code="test", message="Check the Acme quote")
    html = page(client, story.claim)
    assert "Flagged for review" not in html
    assert "Check the Acme quote" not in html


def test_the_firmness_over_time_is_an_svg_chart_with_a_text_summary(client, story):
    chart = section(page(client, story.claim), "over-time")
    assert re.search(r'<svg class="chart-svg"[^>]*role="img"', chart)
    assert '<desc id="chart-desc">Firmness' in chart
    points = story.claim.firmness_history.count()
    assert chart.count('<circle class="chart-dot') == points
    assert "<script" not in chart


def test_a_forward_looking_claim_says_its_date_has_passed(client, story):
    text = text_of(page(client, story.claim))
    assert f"Expected by {story.claim.expected_by:%-d %B %Y}" in text
    assert "Passed 10 days ago" in text


def test_a_date_still_ahead_is_counted_down(client, db):
    claim = claim_create(
        text="The bridge reopens",
        published=True,
        expected_by=timezone.localdate() + datetime.timedelta(days=3),
    )
    assert "Not yet passed: 3 days to go." in text_of(page(client, claim))


def test_the_page_embeds_the_apis_claimreview_document(client, story):
    html = page(client, story.claim)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    claim = Claim.objects.get(pk=story.claim.pk)
    assert json.loads(blocks[0]) == json.loads(json.dumps(claim_review(claim)))


def test_the_page_has_opengraph_tags_and_a_canonical_url(client, story):
    html = page(client, story.claim)
    url = f"{settings.SITE_URL}/claims/{story.claim.slug}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert (
        '<meta property="og:title" content="Acme will open a battery plant in Sunderland">' in html
    )
    assert 'property="og:description" content="Verdict: Confirmed.' in html


def test_headings_run_in_order_without_skipping_a_level(client, story):
    levels = [int(n) for n in re.findall(r"<h([1-6])", page(client, story.claim))]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_a_claim_with_no_evidence_still_reads_well(client, db):
    claim = claim_create(text="Nothing is known yet", published=True)
    text = text_of(page(client, claim))
    assert "0 of 100 · No evidence" in text
    assert "The desk has not checked this claim yet." in text
    assert text.count("None on file.") == 3


def test_a_slug_in_another_script_is_served(client, db):
    claim = claim_create(text="大阪で新しい路線が開業する", published=True)
    assert client.get(f"/claims/{quote(claim.slug)}/").status_code == 200


def test_every_verdict_is_spelled_out_not_only_coloured(client, db):
    claim = claim_create(text="A claim", published=True)
    link(claim)
    for verdict in Verdict.values:
        Claim.objects.filter(pk=claim.pk).update(verdict=verdict)
        assert f"verdict-{verdict}" in (html := page(client, claim))
        assert Verdict(verdict).label in text_of(html)


def test_only_get_and_head_are_answered(client, story):
    url = story.claim.get_absolute_url()
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_the_root_sends_readers_to_the_claims(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/claims/"


def test_an_unknown_claim_gets_a_friendly_404_page(client, db):
    response = client.get("/claims/no-such-claim/")
    assert response.status_code == 404
    assert "Nothing is published here" in response.content.decode()


def test_source_publisher_and_stance_group_headings_are_present(client, story: Story):
    text = text_of(section(page(client, story.claim), "evidence"))
    for heading in ("Supporting", "Refuting", "Reporting, not settling"):
        assert heading in text


def test_a_source_updated_after_it_was_published_says_when(client, story):
    source = story.supporting.source
    Source.objects.filter(pk=source.pk).update(
        published_at=datetime.datetime(2026, 2, 3, 9, tzinfo=datetime.UTC),
        modified_at=datetime.datetime(2026, 2, 5, 16, tzinfo=datetime.UTC),
    )
    _, item = evidence_item(page(client, story.claim), story.supporting.pk)
    assert re.search(
        r"Published <time[^>]*>3 Feb 2026</time>, updated <time[^>]*>5 Feb 2026</time>", item
    )


def test_a_source_updated_the_same_day_shows_only_its_publication(client, story):
    source = story.supporting.source
    Source.objects.filter(pk=source.pk).update(
        published_at=datetime.datetime(2026, 2, 3, 9, tzinfo=datetime.UTC),
        modified_at=datetime.datetime(2026, 2, 3, 16, tzinfo=datetime.UTC),
    )
    _, item = evidence_item(page(client, story.claim), story.supporting.pk)
    assert "Published" in item and "updated" not in item


def test_evidence_from_a_source_never_read_says_so(client, story):
    unread = SourceFactory.create(paused=True, content_hash="")
    evidence = evidence_add(
        claim=story.claim, source=unread, stance="supports", certainty="certain"
    )
    _, item = evidence_item(page(client, story.claim), evidence.pk)
    assert "Not counted: the source has not been read yet" in item
