from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("agreements/", views.agreements, name="agreements"),
    path("partner/", views.home, name="home"),
    path("staff/", views.staff_home, name="staff_home"),
]
