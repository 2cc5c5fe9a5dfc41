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


# A review reason longer than this shows its start, and opens to the rest.
REASON_SHOWN = 160


def review_reasons(claim: Claim) -> SafeString:
    items = [review_reason(r) for r in claim.review_reasons or []]
    return bullet_list(items, "Not in the review queue.")


def review_reason(reason: dict[str, Any]) -> SafeString:
    message = str(reason.get("message", ""))
    stamp = format_html("<small>({}, {})</small>", reason.get("code", ""), when(reason.get("at")))
    if len(message) <= REASON_SHOWN:
        return format_html("{} {}", message, stamp)
    start = message[:REASON_SHOWN].rsplit(" ", 1)[0] + "…"
    return format_html(
        '<details class="reason"><summary>{} {}</summary>{}</details>', start, stamp, message
    )


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


def label(text: str, tone: str, title: str = "") -> SafeString:
    """A compact badge; `tone` picks its colour (desk.css), `title` the tooltip."""
    return format_html('<span class="label label-{}" title="{}">{}</span>', tone, title, text)


def evidence_labels(item: Evidence) -> SafeString:
    """Stance, certainty and kind as badges; who labelled it in the tooltip."""
    by = "read automatically from the source" if item.labelled_by == "automatic" else "editor"
    if item.labelled_by_user:
        by = f"editor {item.labelled_by_user}"
    badges = [
        label(item.get_stance_display(), item.stance, f"Stance, labelled by {by}"),
        label(item.get_certainty_display(), "certainty", "Certainty of its own wording"),
        label("Primary" if item.kind == "primary" else "Report", item.kind),
    ]
    if item.labelled_by == "automatic":
        badges.append(label("auto", "auto", "Read automatically; no editor has checked it"))
    if item.deprecated:
        badges.append(label("withdrawn", "withdrawn", item.deprecated_reason))
    return format_html_join("", "{}", ((badge,) for badge in badges))


def evidence_source(item: Evidence) -> SafeString:
    """The source's title on one line (the whole title and address in the tooltip), with its
    publisher and health underneath."""
    source = item.source
    title = source.title or source.url
    return format_html(
        '<a class="source-title" href="{}" title="{} — {}">{}</a>'
        '<span class="source-meta">{} · {} · <a href="{}" rel="noopener">open ↗</a></span>',
        reverse("admin:sources_source_change", args=[source.pk]),
        title,
        source.url,
        title,
        admin_link(source.publisher),
        source.get_health_display(),
        source.url,
    )


def evidence_row(item: Evidence) -> SafeString:
    action = ""
    if not item.deprecated:
        action = format_html(
            '<a href="{}">deprecate…</a>',
            reverse("admin:claims_evidence_deprecate", args=[item.pk]),
        )
    return format_html(
        '<tr class="{}"><td>{}</td><td class="col-source">{}</td><td>{}</td>'
        '<td class="reading">{}</td><td>{}</td></tr>',
        "is-withdrawn" if item.deprecated else "",
        admin_link(item, f"#{item.pk}"),
        evidence_source(item),
        evidence_labels(item),
        suggestion_summary(item),
        action,
    )


EVIDENCE_HEADERS = ("#", "Source", "Labels", "Read from the source", "")


def evidence_table(claim: Claim) -> SafeString:
    rows = Evidence.objects.filter(claim=claim).select_related(
        "source__publisher", "labelled_by_user"
    )
    body = format_html_join("", "{}", ((evidence_row(row),) for row in rows))
    if not body:
        return format_html("<p>{}</p>", "No evidence yet.")
    head = format_html_join("", "<th>{}</th>", ((h,) for h in EVIDENCE_HEADERS))
    return format_html(
        '<table class="evidence-table"><colgroup><col class="col-id"><col class="col-source">'
        '<col class="col-labels"><col class="col-reading"><col class="col-action"></colgroup>'
        "<thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        head,
        body,
    )


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
