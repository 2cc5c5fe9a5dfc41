"""The editors' desk for claims. Every write goes through claims.services (claims, evidence,
link offers); the admin never saves a claim, evidence or verdict itself."""

from django.contrib import admin

from claims.admin import claim, evidence, link_offers, records

# The index links the review queue; the template only adds a box above the app list.
admin.site.index_template = "admin/claims/desk_index.html"

__all__ = ["claim", "evidence", "link_offers", "records"]
