from django.urls import path

from claims import views

urlpatterns = [
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<slug:slug>/", views.claim_page, name="claim-page"),
]
