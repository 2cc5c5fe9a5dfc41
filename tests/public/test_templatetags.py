"""The small pieces the templates are made of (no database)."""

from __future__ import annotations

import datetime

import pytest

from public.templatetags.claim_pages import day, http_only, iso, ld_json, meter, verdict_badge

MOMENT = datetime.datetime(2026, 1, 21, 23, 30, tzinfo=datetime.UTC)


def test_day_is_short_and_english():
    assert day(datetime.date(2026, 2, 3)) == "3 Feb 2026"
    assert day(None) == ""


def test_day_and_iso_speak_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    assert day(MOMENT) == "22 Jan 2026"
    assert iso(MOMENT) == "2026-01-22T08:30:00+09:00"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org/", "HTTP://example.org/"),
        ("javascript:alert(1)", "#"),
        (" javascript:alert(1)", "#"),
        ("data:text/html,<b>", "#"),
        ("", "#"),
    ],
)
def test_only_http_urls_become_links(url, expected):
    assert http_only(url) == expected


def test_the_verdict_badge_spells_out_the_verdict():
    assert verdict_badge("confirmed") == (
        '<span class="verdict verdict-confirmed"><span class="visually-hidden">Verdict: '
        "</span>Confirmed</span>"
    )


def test_an_unknown_verdict_code_never_becomes_a_class():
    badge = verdict_badge('x" onclick="alert(1)', bare=True)
    assert badge.startswith('<span class="verdict">')
    assert 'onclick="' not in badge


def test_the_meter_bar_is_an_svg_width_within_0_and_100():
    assert '<rect class="meter-fill" width="100"' in meter(140, "confirmed")
    assert '<strong class="meter-score">0</strong> of 100' in meter(-5, "no_evidence")
    assert "style=" not in meter(50, "reported", compact=True)


def test_the_json_ld_block_cannot_be_closed_from_inside():
    block = ld_json({"claimReviewed": "</script><script>alert(1)</script> & more"})
    assert block.count("</script>") == 1
    assert "\\u003C/script\\u003E" in block and "\\u0026" in block
