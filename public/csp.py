"""A strict Content-Security-Policy for the public pages.

The pages use one stylesheet from our own origin and no script at all (the ClaimReview
<script type="application/ld+json"> is data and never runs), so the policy allows nothing
inline. It is scoped to the public paths: the admin and the API's Swagger UI bring their own
inline code and are only for the desk.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
PUBLIC_PREFIXES = ("/claims/", "/tags/")


def is_public_page(path: str) -> bool:
    return path == "/" or path.startswith(PUBLIC_PREFIXES)


class PublicPagesCSPMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_public_page(request.path_info):
            response.headers.setdefault("Content-Security-Policy", POLICY)
        return response
