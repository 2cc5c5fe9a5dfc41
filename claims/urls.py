from django.urls import path
from django.views.generic import RedirectView

from claims import feeds, pages

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="claim-list"), name="home"),
    path("claims/", pages.claim_list, name="claim-list"),
    path("claims/feed.atom", feeds.changes_feed, name="claims-feed"),
    path("claims/<str:slug>/", pages.claim_page, name="claim-page"),
    path("claims/<str:slug>/feed.atom", feeds.claim_feed, name="claim-feed"),
    path("tags/<str:tag>/", pages.tag_page, name="tag-page"),
]
