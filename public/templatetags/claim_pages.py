"""Filters and tags for the public claim pages: wording for verdicts, levels and source
health, safe JSON-LD, and pagination links that keep the reader's filters."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from claims.models import Level, Verdict

register = template.Library()

# The same escapes as django.utils.html.json_script: inside <script>, "</script>" or
# "<!--" in a claim's text must not end the element early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

VERDICT_BLURBS: dict[str, str] = {
    Verdict.UNVERIFIED: "The desk has not checked this claim yet.",
    Verdict.UNCONFIRMED: "Circulating, but nobody in a position to know has confirmed it.",
    Verdict.CONFIRMED: "The desk finds the claim true.",
    Verdict.DISPUTED: "Credible sources disagree; the desk cannot settle it yet.",
    Verdict.DENIED: "Those concerned deny it.",
    Verdict.FALSE: "The desk finds the claim false.",
    Verdict.SUPERSEDED: "Later events have overtaken the claim.",
}
LEVEL_BLURBS: dict[str, str] = {
    Level.NO_EVIDENCE: "No evidence on file yet.",
    Level.RUMOURED: "Only weak, hedged or passing reports.",
    Level.REPORTED: "Reported by a credible source, not yet corroborated.",
    Level.CORROBORATED: "Firm reports from at least two independent publishers.",
    Level.CONFIRMED: "Confirmed firmly by those concerned, an official record, "
    "or three independent publishers.",
    Level.CONTESTED: "Strong evidence on both sides.",
    Level.REFUTED: "Strong evidence against the claim.",
}
HEALTH: dict[str, tuple[str, str]] = {
    "unchecked": ("Not checked yet", "quiet"),
    "ok": ("Online", "good"),
    "changed": ("Changed since cited", "warn"),
    "moved": ("Moved", "warn"),
    "blocked": ("Could not be checked", "quiet"),
    "dead": ("Dead link", "bad"),
    "error": ("Unreachable lately", "warn"),
}


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _local(value: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def day(value: datetime.date | None) -> str:
    """23 Nov 2026. Pages are in English only, and this runs for every row and event: it
    skips the localisation lookups of Django's `date` filter, several times slower."""
    if not value:
        return ""
    local = _local(value)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


@register.filter
def iso(value: datetime.date | None) -> str:
    """For <time datetime="…">: the moment in ISO 8601, with its offset."""
    return _local(value).isoformat() if value else ""


@register.filter
def ld_json(value: Any) -> SafeString:
    """A <script type="application/ld+json"> block: data, so the CSP lets it be."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Safe: every <, > and & in the data is escaped here.
    return mark_safe(
        f'<script type="application/ld+json">{text.translate(JSON_SCRIPT_ESCAPES)}</script>'
    )


@register.filter
def verdict_label(code: str) -> str:
    return Verdict(code).label if code in Verdict.values else code


@register.filter
def level_label(code: str) -> str:
    return Level(code).label if code in Level.values else code


@register.filter
def verdict_blurb(code: str) -> str:
    return VERDICT_BLURBS.get(code, "")


@register.filter
def level_blurb(code: str) -> str:
    return LEVEL_BLURBS.get(code, "")


@register.filter
def health_label(code: str) -> str:
    return HEALTH.get(code, (code, "quiet"))[0]


@register.filter
def health_tone(code: str) -> str:
    return HEALTH.get(code, (code, "quiet"))[1]


# The verdict badge and the meter appear on every row and in the history: small enough to
# write with format_html (which escapes every argument), and several times cheaper than an
# {% include %} each.
# Fixed markup with nothing from the data in it.
SAID_VERDICT = mark_safe('<span class="visually-hidden">Verdict: </span>')
METER_CAPTION = mark_safe('<p class="meter-caption" aria-hidden="true">Firmness</p>')


@register.simple_tag
def verdict_badge(code: str, large: bool = False, bare: bool = False) -> SafeString:
    """The verdict in words, coloured by class; `bare` drops the "Verdict:" that a screen
    reader hears where no heading says it."""
    css = f"verdict verdict-{code}" if code in Verdict.values else "verdict"
    css += " verdict-large" if large else ""
    said = "" if bare else SAID_VERDICT
    return format_html('<span class="{}">{}{}</span>', css, said, verdict_label(code))


@register.simple_tag
def meter(score: int, level: str, compact: bool = False) -> SafeString:
    """The firmness as a bar (an SVG width, not an inline style) and as words."""
    score = max(0, min(100, int(score)))
    level_class = level if level in Level.values else "unknown"
    return format_html(
        '<div class="meter{} level-{}">{}'
        '<svg class="meter-bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false"><rect class="meter-track" width="100" height="10"/>'
        '<rect class="meter-fill" width="{}" height="10"/></svg>'
        '<p class="meter-text"><span class="visually-hidden">Firmness: </span>'
        '<strong class="meter-score">{}</strong> of 100 <span aria-hidden="true">·</span> '
        '<span class="meter-level">{}</span></p></div>',
        " meter-compact" if compact else "",
        level_class,
        METER_CAPTION if compact else "",
        score,
        score,
        level_label(level),
    )


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int) -> str:
    """?…&page=N with the reader's other parameters kept."""
    query: QueryDict = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.filter
def http_only(url: str) -> str:
    """Links to sources are http(s) or nothing: a javascript: URL that slipped into the
    database by hand must not become a link."""
    return url if str(url).lower().startswith(("http://", "https://")) else "#"
