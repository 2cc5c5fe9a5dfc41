from django.urls import path
from django.views.generic import RedirectView

from public import feeds, views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="claim-list"), name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/feed.atom", feeds.changes_feed, name="claims-feed"),
    path("claims/<str:slug>/", views.claim_page, name="claim-page"),
    path("claims/<str:slug>/feed.atom", feeds.claim_feed, name="claim-feed"),
    path("tags/<str:tag>/", views.tag_page, name="tag-page"),
    path("desk/feed.atom", feeds.desk_feed, name="desk-feed"),
]
