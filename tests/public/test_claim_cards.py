"""The list's cards, written in Python, against the template they replaced."""

from __future__ import annotations

import datetime

import pytest
from django.template import engines

from claims.models import Claim, Tag
from public.templatetags.claim_cards import claim_cards
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

# claims/_claim_row.html as it was, included once per row: the cards must not change a byte.
ROW_TEMPLATE = (
    '{% load claim_pages %}<li class="claim-row">\n'
    '  <article class="claim-card" aria-labelledby="claim-{{ claim.pk }}">\n'
    '    <div class="claim-card-verdict">\n'
    '      <p class="meter-caption" aria-hidden="true">Verdict</p>\n'
    "      {% verdict_badge claim.verdict %}\n"
    '      {% if not claim.published %}<span class="flag-unpublished">Not '
    "published</span>{% endif %}\n"
    "    </div>\n"
    '    <div class="claim-card-body">\n'
    '      <h2 class="claim-card-title" id="claim-{{ claim.pk }}"><a href="{{ '
    'claim.get_absolute_url }}">{{ claim.text }}</a></h2>\n'
    '      <p class="claim-card-meta">\n'
    "        {% if claim.claimant %}<span>{{ claim.claimant }}</span>{% endif %}\n"
    '        <span>Updated <time datetime="{{ claim.updated_at|iso }}">{{ '
    "claim.updated_at|day }}</time></span>\n"
    '        {% if claim.expected_by %}<span>Expected by <time datetime="{{ '
    'claim.expected_by|iso }}">{{ claim.expected_by|day }}</time></span>{% endif %}\n'
    "      </p>\n"
    '      {% with claim_tags=claim.tags.all %}{% if claim_tags %}<ul class="tags" '
    'aria-label="Tags">{% for tag in claim_tags %}<li><a class="tag" href="{% url '
    "'tag-page' tag.slug %}\">{{ tag.name }}</a></li>{% endfor %}</ul>{% endif %}{% "
    "endwith %}\n"
    "    </div>\n"
    '    <div class="claim-card-meter">\n'
    "      {% meter claim.firmness_score claim.firmness_level compact=True %}\n"
    "    </div>\n"
    "  </article>\n"
    "</li>\n"
)


def rendered_by_template(claims: list[Claim]) -> str:
    row = engines["django"].from_string(ROW_TEMPLATE)
    return "".join(row.render({"claim": claim}) for claim in claims)


def test_cards_are_the_templates_markup_byte_for_byte():
    claims = [
        ClaimFactory.create(
            text='Tram <script>alert("x")</script> & "quotes"',
            slug="tram-日本-claim",
            claimant="Mayor <b>O'Neil</b>",
            expected_by=datetime.date(2027, 3, 4),
            firmness_score=73,
            firmness_level="corroborated",
            verdict="confirmed",
        ),
        ClaimFactory.create(
            published=False, claimant="", verdict="false", firmness_level="refuted"
        ),
        ClaimFactory.create(verdict="bogus", firmness_level="nolevel", firmness_score=140),
    ]
    claims[0].tags.add(Tag.objects.create(name="東京 & <Tokyo>", slug="東京"))
    claims[0].tags.add(Tag.objects.create(name="Energy", slug="energy"))
    shown = list(Claim.objects.filter(pk__in=[c.pk for c in claims]).order_by("pk"))

    cards = claim_cards(shown)

    assert cards == rendered_by_template(shown)
    assert "&lt;script&gt;" in cards
    assert "/tags/%E6%9D%B1%E4%BA%AC/" in cards
    assert "Not published" in cards


def test_no_claims_no_cards():
    assert claim_cards([]) == ""
