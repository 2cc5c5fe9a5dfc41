"""The claim list's cards, written with format_html instead of an {% include %} per row.

An include per card cost most of a list page's time (20 template renders, each with its
variable lookups, plus a reverse() per claim and per tag). The markup is the same as the
template's was, byte for byte. It lives under templatetags/ so that public.caching's
MARKUP_VERSION digest (hence every list's ETag) changes when the markup does."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe

from claims.models import Claim
from public.templatetags.claim_pages import day, iso, meter, verdict_badge

register = template.Library()

# A slug no address holds, reversed once and split, to make the per-row addresses.
_MARK = "918273645"
# What reverse() leaves unquoted (RFC 3986 pchar).
_SAFE = RFC3986_SUBDELIMS + "/~:@"

CARD = (
    '<li class="claim-row">\n'
    '  <article class="claim-card" aria-labelledby="claim-{}">\n'
    '    <div class="claim-card-verdict">\n'
    '      <p class="meter-caption" aria-hidden="true">Verdict</p>\n'
    "      {}\n"
    "      {}\n"
    "    </div>\n"
    '    <div class="claim-card-body">\n'
    '      <h2 class="claim-card-title" id="claim-{}"><a href="{}">{}</a></h2>\n'
    '      <p class="claim-card-meta">\n'
    "        {}\n"
    '        <span>Updated <time datetime="{}">{}</time></span>\n'
    "        {}\n"
    "      </p>\n"
    "      {}\n"
    "    </div>\n"
    '    <div class="claim-card-meter">\n'
    "      {}\n"
    "    </div>\n"
    "  </article>\n"
    "</li>\n"
)
NOT_PUBLISHED = mark_safe('<span class="flag-unpublished">Not published</span>')


class Addresses:
    """Claim pages' and tag pages' addresses from prefixes reversed once per list; slugs
    are quoted as reverse() quotes them (they may hold letters of any script)."""

    def __init__(self) -> None:
        claim = reverse("claim-page", kwargs={"slug": _MARK})
        self.claim_head, _, self.claim_tail = claim.rpartition(_MARK)
        tag = reverse("tag-page", kwargs={"tag": _MARK})
        self.tag_head, _, self.tag_tail = tag.rpartition(_MARK)

    def claim(self, slug: str) -> str:
        return f"{self.claim_head}{quote(slug, safe=_SAFE)}{self.claim_tail}"

    def tag(self, slug: str) -> str:
        return f"{self.tag_head}{quote(slug, safe=_SAFE)}{self.tag_tail}"


@register.simple_tag
def claim_cards(claims: Iterable[Claim]) -> SafeString:
    addresses = Addresses()
    return mark_safe("".join(claim_card(claim, addresses) for claim in claims))


def claim_card(claim: Claim, addresses: Addresses) -> SafeString:
    return format_html(
        CARD,
        claim.pk,
        verdict_badge(claim.verdict),
        "" if claim.published else NOT_PUBLISHED,
        claim.pk,
        addresses.claim(claim.slug),
        claim.text,
        format_html("<span>{}</span>", claim.claimant) if claim.claimant else "",
        iso(claim.updated_at),
        day(claim.updated_at),
        expected_by(claim),
        tag_list(claim, addresses),
        meter(claim.firmness_score, claim.firmness_level, compact=True),
    )


def expected_by(claim: Claim) -> SafeString | str:
    if not claim.expected_by:
        return ""
    return format_html(
        '<span>Expected by <time datetime="{}">{}</time></span>',
        iso(claim.expected_by),
        day(claim.expected_by),
    )


def tag_list(claim: Claim, addresses: Addresses) -> SafeString | str:
    tags = claim.tags.all()
    if not tags:
        return ""
    items = format_html_join(
        "",
        '<li><a class="tag" href="{}">{}</a></li>',
        ((addresses.tag(tag.slug), tag.name) for tag in tags),
    )
    return format_html('<ul class="tags" aria-label="Tags">{}</ul>', items)
