"""Read-only HTML for the claim page: evidence, firmness, review reasons, history.

Shown as read-only fields rather than inline formsets, so the claim form posts only
the claim and the services stay the only writers of evidence and verdicts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from claims.models import Claim, ClaimEvent, Evidence, VerdictChange

RECENT_EVENTS = 25


def admin_link(obj: Any, text: Any = None) -> SafeString:
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj if text is None else text)


def when(value: str | datetime.datetime | None) -> str:
    """ISO strings (review reasons keep their time as text) and datetimes, to the minute."""
    if isinstance(value, str):
        try:
            return f"{datetime.datetime.fromisoformat(value):%Y-%m-%d %H:%M}"
        except ValueError:
            return value
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], empty: str) -> SafeString:
    """An HTML table; cells are escaped unless they are already safe (links)."""
    rows = list(rows)
    if not rows:
        return format_html("<p>{}</p>", empty)
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)


def bullet_list(items: Iterable[Any], empty: str) -> SafeString:
    items = list(items)
    if not items:
        return format_html("<p>{}</p>", empty)
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items)))


def firmness_lines(claim: Claim) -> SafeString:
    lines = [line.get("text", "") for line in claim.firmness_explanation or []]
    return bullet_list(lines, "No evidence counts toward this claim yet.")


def review_reasons(claim: Claim) -> SafeString:
    items = [
        format_html(
            "{} <small>({}, {})</small>", r.get("message", ""), r.get("code", ""), when(r.get("at"))
        )
        for r in claim.review_reasons or []
    ]
    return bullet_list(items, "Not in the review queue.")


def suggestion_summary(item: Evidence) -> str:
    """What the assessor read, in a few words: "refutes, certain (confidence 0.82, version #3)"."""
    if not item.suggested_stance:
        return "Not read yet: the source has no text."
    confidence = item.suggestion_confidence
    details = [f"confidence {confidence:.2f}" if confidence is not None else ""]
    if item.suggestion_snapshot:
        details.append(f"version #{item.suggestion_snapshot}")
    detail = ", ".join(d for d in details if d)
    said = f"{item.suggested_stance}, {item.suggested_certainty}"
    return f"{said} ({detail})" if detail else said


def suggestion_cues(item: Evidence) -> SafeString:
    cues = [
        format_html(
            "{}: “{}” — {}", cue.get("kind", ""), cue.get("text", ""), cue.get("effect", "")
        )
        for cue in item.suggestion_cues or []
        if isinstance(cue, dict)
    ]
    return bullet_list(cues, "No cue words.")


def evidence_row(item: Evidence) -> list[Any]:
    source = item.source
    status = f"deprecated: {item.deprecated_reason}" if item.deprecated else "counts"
    actions = format_html(
        '<a href="{}">deprecate…</a>',
        reverse("admin:claims_evidence_deprecate", args=[item.pk]),
    )
    return [
        admin_link(item, f"#{item.pk}"),
        item.get_stance_display(),
        item.get_certainty_display(),
        item.get_kind_display().split(" (")[0],
        format_html('{} <a href="{}" rel="noopener">↗</a>', admin_link(source), source.url),
        admin_link(source.publisher),
        source.get_health_display(),
        item.get_labelled_by_display()
        + (f" ({item.labelled_by_user})" if item.labelled_by_user else ""),
        suggestion_summary(item),
        status,
        "" if item.deprecated else actions,
    ]


EVIDENCE_HEADERS = (
    "Evidence",
    "Stance",
    "Certainty",
    "Kind",
    "Source",
    "Publisher",
    "Health",
    "Labelled by",
    "Read from the source",
    "Status",
    "",
)


def evidence_table(claim: Claim) -> SafeString:
    rows = Evidence.objects.filter(claim=claim).select_related(
        "source__publisher", "labelled_by_user"
    )
    return table(EVIDENCE_HEADERS, map(evidence_row, rows), "No evidence yet.")


def verdict_history(claim: Claim) -> SafeString:
    changes = VerdictChange.objects.filter(claim=claim).select_related("changed_by")
    rows = [
        (
            when(change.changed_at),
            f"{change.get_previous_display()} → {change.get_verdict_display()}",
            change.note,
            ", ".join(f"#{e.pk}" for e in change.evidence.all()) or "none",
            change.changed_by or "",
        )
        for change in changes.prefetch_related("evidence")
    ]
    return table(("When", "Verdict", "Note", "Rests on", "By"), rows, "No verdict yet.")


def recent_events(claim: Claim) -> SafeString:
    events = ClaimEvent.objects.filter(claim=claim).select_related("actor")[:RECENT_EVENTS]
    rows = [(when(e.at), e.get_kind_display(), e.summary, e.actor or "") for e in events]
    everything = format_html(
        '<p><a href="{}?claim__id__exact={}">The whole timeline</a></p>',
        reverse("admin:claims_claimevent_changelist"),
        claim.pk,
    )
    return format_html("{}{}", table(("When", "What", "Summary", "By"), rows, ""), everything)
