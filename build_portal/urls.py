from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from . import api_schema, language, partner_home_api, views

# Every app owns two URL modules: urls.py (pages) and api_urls.py (REST API under /api/v1/).
api_v1 = [
    path("", include("activity.api_urls")),
    path("", include("partners.api_urls")),
    path("", include("dealreg.api_urls")),
    path("", include("tiers.api_urls")),
    path("", include("benefits.api_urls")),
    path("", include("funding.api_urls")),
    path("partner/home/", partner_home_api.PartnerHomeApi.as_view(), name="partner_home"),
    # One schema, in the source language, whatever the request asks (build_portal/api_schema.py).
    path("schema/", api_schema.SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), as the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

# The Django admin has no login of its own: /admin/login/ sends people to allauth's login, which asks
# staff for their second factor and applies the login rate limits (DESIGN.md §5).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The partner home composes tiers, deals and funding, so it lives above them (DESIGN.md §4).
    path("partner/", views.partner_home, name="partner_home"),
    # The language switcher on every page posts here (Django's set_language, plus the session and profile).
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("", include("build_portal.staff.urls")),
    path("", include("activity.urls")),
    path("", include("partners.urls")),
    path("", include("dealreg.urls")),
    path("", include("tiers.urls")),
    path("", include("benefits.urls")),
    path("", include("funding.urls")),
]

handler404 = "build_portal.views.not_found"
handler500 = "build_portal.views.server_error"
