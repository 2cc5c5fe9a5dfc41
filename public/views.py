"""Public, read-only claim pages: server-rendered, no JavaScript, no cookies needed.

Views are thin: read the stamp (one query), answer 304 when the reader's copy is current,
otherwise fetch the rest and render. Editors (claims.view_claim) also see unpublished claims,
in responses no cache may keep.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from claims.marks import (
    ChangeMarks,
    claim_marks,
    claims_change_marks,
    tag_page_marks,
)
from claims.models import Claim, Level, Tag, Verdict
from claims.permissions import sees_unpublished
from public.caching import respond
from public.context import claim_page_context, claim_stamp, prefetch_page
from public.listing import (
    ClaimFilters,
    filtered_claims,
    list_page,
    list_rows,
    list_stamp,
    tag_choices,
)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links; the icon is an SVG. Its
    address is read when asked (collectstatic's manifest names it in production)."""
    return HttpResponsePermanentRedirect(static("claims/favicon.svg"))


@require_safe
def claim_list(request: HttpRequest) -> HttpResponse:
    return listing(request, tag=None)


@require_safe
def tag_page(request: HttpRequest, tag: str) -> HttpResponse:
    """A tag exists for a reader only once a claim they may see carries it: an unpublished
    claim's tag must not be found by guessing its address."""
    found = tag_page_marks(slug=tag, published_only=not sees_unpublished(request.user))
    if found is None:
        raise Http404("No published claim carries this tag.")
    return listing(request, tag=found[0], marks=found[1])


def listing(
    request: HttpRequest, tag: Tag | None, marks: ChangeMarks | None = None
) -> HttpResponse:
    """The stamp decides a 304 before the filters are read: a copy the reader holds was made
    from filters that were valid, and reading them cost a fifth of a 304."""
    editor = sees_unpublished(request.user)

    def build() -> HttpResponse:
        filters = ClaimFilters(request.GET)
        if not filters.is_valid():
            return render(request, "claims/bad_request.html", {"form": filters}, status=400)
        visible = Claim.objects.visible_to(request.user)
        claims = filtered_claims(visible.filter(tags=tag) if tag else visible, filters.cleaned_data)
        rows = list_rows(claims, filters.cleaned_data.get("q") or "")
        page = list_page(rows, request.GET.get("page"))
        context = {
            "page": page,
            "filters": filters,
            "tag": tag,
            "tags": tag_choices(editor),
            "verdicts": Verdict.choices,
            "levels": Level.choices,
            "editor": editor,
            "canonical": canonical(request, 1 if filters.active() else page.number),
        }
        return render(request, "claims/claim_list.html", context)

    stamp = list_stamp(request.get_full_path(), editor, marks or claims_change_marks())
    return respond(request, stamp, build, shared=not editor)


def canonical(request: HttpRequest, page: int) -> str:
    """The list's own address; a filtered view points at the unfiltered list."""
    suffix = f"?page={page}" if page > 1 else ""
    return f"{settings.SITE_URL}{request.path}{suffix}"


@require_safe
def claim_page(request: HttpRequest, slug: str) -> HttpResponse:
    editor = sees_unpublished(request.user)
    marks = claim_marks(slug=slug, published_only=not editor)
    if marks is None:
        raise Http404("No published claim here.")

    def build() -> HttpResponse:
        claim = Claim.objects.get(pk=marks.pk)
        prefetch_page(claim)
        return render(request, "claims/claim_page.html", claim_page_context(claim, editor))

    stamp = claim_stamp(marks, editor)
    return respond(request, stamp, build, shared=marks.published and not editor)
