"""A real browser on the real pages: Playwright driving Debian's Chromium against a live
server with the demo data. It reads the list, searches, opens a claim, checks what a reader
checks, follows the history link, and saves screenshots under var/screenshots/.

Chromium comes from `make browser` (Debian's package; .ci/run installs it too). Without it
the test is skipped, loudly, at the end of the run (tests/conftest.py), and fails in CI
(FACTCHECK_REQUIRE_SERVICES=1), like the services tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

from claims.models import Claim, Stance
from claims.services.evidence import evidence_add
from sources.services import source_add_snapshot
from tests.conftest import CHROMIUM
from tests.factories import EditorFactory, SourceFactory

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CHERY = "chery-will-build-cars-at-jaguar-land-rovers-factories-in-the-uk"
EDITOR, EDITOR_PASSWORD = "laptop", "wide-screen-1366"
AUTOMATIC = (
    "Chery has confirmed it will build cars at Jaguar Land Rover's factories in the UK.",
    "Chery confirmed on Monday that cars will be made at JLR's plants in Britain.",
)

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shots() -> Path:
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class Demo:
    """The live server's address and what the pages should show, read before the browser
    starts: while Playwright's event loop runs, Django would open a second connection."""

    url: str
    published: int
    pk: int
    evidence: int
    claim: str
    score: int
    level: str
    supporting: int


@pytest.fixture
def demo(live_server) -> Demo:
    call_command("load_demo")
    editor = EditorFactory.create(username=EDITOR)  # before the browser's event loop starts
    editor.set_password(EDITOR_PASSWORD)
    editor.save()
    claim = Claim.objects.get(slug=CHERY)
    for words in AUTOMATIC:  # read automatically: labelled from the text, not by an editor
        source = SourceFactory.create(paused=True, content_hash="")
        source_add_snapshot(source=source, text=words)
        evidence_add(claim=claim, source=source)
    claim.refresh_from_db()
    return Demo(
        url=live_server.url,
        published=Claim.objects.published().count(),
        pk=claim.pk,
        evidence=claim.evidence.count(),
        claim=claim.text,
        score=claim.firmness_score,
        level=claim.get_firmness_level_display(),
        supporting=claim.evidence.filter(stance=Stance.SUPPORTS).count(),
    )


@pytest.fixture
def browser(demo: Demo) -> Iterator[Any]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


def watch(page: Any) -> list[str]:
    """Console errors (CSP violations among them) and uncaught page errors."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(10_000)
    return problems


def test_a_reader_finds_a_claim_and_understands_it(demo: Demo, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = watch(page)
    page.goto(f"{demo.url}/claims/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims we are tracking")
    expect(page.locator(".claim-row")).to_have_count(demo.published)
    page.screenshot(path=shots() / "list.png", full_page=True)

    page.get_by_role("searchbox", name="Search").fill("Chery")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"\?q=Chery"))
    rows = page.locator(".claim-row")
    expect(rows.first).to_contain_text("Chery")
    for title in rows.locator(".claim-card-title").all_text_contents():
        assert "Chery" in title or "JLR" in title or "Jaguar" in title

    page.get_by_role("link", name="Chery will build cars at Jaguar Land Rover's factories").click()
    page.wait_for_url(f"**/claims/{CHERY}/")
    check_the_claim_page(page, demo)
    page.screenshot(path=shots() / "claim.png", full_page=True)
    assert problems == []


def check_the_claim_page(page: Any, demo: Demo) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.claim)
    expect(page.locator(".card-verdict .verdict")).to_have_text("Confirmed")
    meter = page.locator(".card-firmness .meter-text")
    expect(meter).to_contain_text(f"{demo.score} of 100")
    expect(meter).to_contain_text(demo.level)
    expect(page.locator(".group-supports .evidence")).to_have_count(demo.supporting)
    for heading in ("Supporting", "Refuting", "Reporting, not settling"):
        expect(page.get_by_role("heading", name=re.compile(heading))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Firmness over time"))).to_be_visible()

    automatic = page.locator(".group-supports .badge-auto")
    expect(automatic).to_have_count(len(AUTOMATIC))
    notes = page.locator(".group-supports .auto-note")
    expect(notes).to_have_count(1)  # said once for the section, not on every piece
    expect(notes).to_contain_text(f"{len(AUTOMATIC)} pieces here were read automatically")
    for words in AUTOMATIC:
        expect(page.locator(".group-supports .quote.passage", has_text=words)).to_be_visible()

    page.get_by_role("navigation", name="On this page").get_by_role("link", name="History").click()
    page.wait_for_url("**#history")
    history = page.locator("#history")
    expect(history.get_by_role("heading", name="History")).to_be_in_viewport()
    expect(history.locator(".event-verdict_changed").first).to_contain_text("Confirmed")


def test_the_claim_page_fits_a_phone(demo: Demo, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    problems = watch(page)
    page.goto(f"{demo.url}/claims/{CHERY}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    verdict, meter = page.locator(".card-verdict"), page.locator(".card-firmness")
    assert verdict.bounding_box()["y"] < meter.bounding_box()["y"]  # stacked, not squeezed
    page.screenshot(path=shots() / "claim-phone.png", full_page=True)
    assert problems == []


def test_an_editor_reads_a_claims_desk_page_at_a_laptops_width(demo: Demo, browser):
    """At 1366×768 the claim's desk page is a page, not a scroll: the evidence table fits,
    each title stays on one line, and the long sections are folded."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    problems = watch(page)
    page.goto(f"{demo.url}/admin/login/")
    page.fill("#id_username", EDITOR)
    page.fill("#id_password", EDITOR_PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{demo.url}/admin/claims/claim/{demo.pk}/change/")
    table = page.locator(".evidence-table")
    expect(table).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    right = table.evaluate("t => t.getBoundingClientRect().right")
    assert right <= page.evaluate("document.documentElement.clientWidth")
    titles = page.locator(".evidence-table .source-title")
    assert titles.count() == demo.evidence
    for i in range(titles.count()):
        assert titles.nth(i).evaluate("a => a.getClientRects().length") == 1  # one line
        assert titles.nth(i).get_attribute("title")  # the whole title in the tooltip
    for folded in ("Verdict history", "Timeline", "Record"):
        expect(page.locator("details", has_text=folded).first).not_to_have_attribute("open", "")
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=shots() / "desk-claim-1366.png", full_page=True)
    assert height < 2600, height
    assert problems == []
