from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("agreements/", views.agreements, name="agreements"),
    path("partner/colleagues/", views.colleagues, name="colleagues"),
    path("partner/people/", views.people, name="people"),
    path("partner/people/new/", views.person_create, name="person_create"),
    path("partner/people/import/", views.people_import, name="people_import"),
    path("partner/people/import/template.csv", views.people_import_template, name="people_import_template"),
    path("partner/people/<int:pk>/", views.person_edit, name="person_edit"),
    path("partner/people/<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("partner/people/<int:pk>/completions/", views.completion_add, name="completion_add"),
    path("partner/completions/<int:pk>/delete/", views.completion_delete, name="completion_delete"),
    path("partners/<int:partner_id>/invite/", views.invite, name="invite"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("colleagues/<int:pk>/remove/", views.colleague_remove, name="colleague_remove"),
    path("staff/partners/", views.staff_partners, name="staff_partners"),
    path("staff/partners/export.csv", views.staff_partners_export, name="staff_partners_export"),
    path("staff/partners/names/", views.partner_names, name="partner_names"),
    path("staff/partners/<int:pk>/team/", views.partner_team, name="partner_team"),
    path("staff/partners/<int:pk>/people/move/", views.person_move, name="person_move"),
    path("staff/people/", views.staff_people, name="staff_people"),
    path("staff/people/export.csv", views.staff_people_export, name="staff_people_export"),
    path("staff/audit/", views.audit_trail, name="audit"),
    path("staff/audit/export.csv", views.audit_trail_export, name="audit_export"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<str:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
