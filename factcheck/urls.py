from django.contrib import admin
from django.urls import include, path

from factcheck.health import healthz

admin.site.site_header = "factcheck: editors' desk"
admin.site.site_title = "factcheck"
admin.site.index_title = "Claims, sources and verdicts"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("factcheck.api.urls", namespace="api")),
    path("", include("public.urls")),
]
