from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("staff/", views.home, name="home"),
    path("staff/reports/", views.reports, name="reports"),
    path("staff/charts/<slug:name>.svg", views.chart, name="chart"),
    path("staff/partners/<int:pk>/", views.partner, name="partner"),
]
