from django.urls import path

from . import views

app_name = "benefits"
urlpatterns = [
    # Partner users
    path("benefits/", views.benefits, name="benefits"),
    path("showcase/", views.showcase, name="showcase"),
    path("showcase/logo/", views.showcase_logo, name="showcase_logo"),
    path("showcase/leads/", views.leads, name="leads"),
    path("badge/", views.badge, name="badge"),
    # Staff
    path("benefits/invitations/", views.invitations, name="invitations"),
    path("benefits/partners/<int:partner_id>/invitations/", views.partner_invitations, name="partner_invitations"),
    path("benefits/invitations/<int:invitation_id>/withdraw/", views.invitation_withdraw,
         name="invitation_withdraw"),
    # Program admins: the "Copy a year" form of the tiers app's program years page posts here.
    path("staff/tiers/years/copy/", views.program_year_copy, name="program_year_copy"),
    # Public: the showcase directory and badges (by unguessable token only)
    path("directory/", views.directory, name="directory"),
    path("directory/<int:partner_id>/", views.listing, name="listing"),
    path("directory/<int:partner_id>/logo/", views.listing_logo, name="listing_logo"),
    path("badge/<str:token>.svg", views.badge_svg, name="badge_svg"),
    path("badge/<str:token>/", views.badge_verify, name="badge_verify"),
]
