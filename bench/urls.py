from django.urls import include, path

from bench import bareviews

urlpatterns = [
    path("bench/claims/", bareviews.claim_list),
    path("bench/claims/<int:pk>/", bareviews.claim_detail),
    path("", include("factcheck.urls")),
]
