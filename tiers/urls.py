from django.urls import path

from . import views

app_name = "tiers"
urlpatterns = [
    path("tier/", views.standing, name="standing"),
    path("staff/partners/<int:partner_id>/tier/", views.partner_standing, name="partner_standing"),
    path("staff/partners/<int:partner_id>/tier/designation/", views.designation, name="designation"),
    path("staff/tiers/runs/", views.runs, name="runs"),
    path("staff/tiers/runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("staff/tiers/runs/<int:run_id>/apply/", views.run_apply, name="run_apply"),
    path("staff/tiers/years/", views.program_years, name="program_years"),
    path("staff/tiers/years/<int:year>/", views.program_year_edit, name="program_year_edit"),
    path("staff/tiers/years/<int:year>/publish/", views.program_year_lifecycle, {"action": "publish"},
         name="program_year_publish"),
    path("staff/tiers/years/<int:year>/close/", views.program_year_lifecycle, {"action": "close"},
         name="program_year_close"),
]
