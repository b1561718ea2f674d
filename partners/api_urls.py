from django.urls import path

from . import api

urlpatterns = [
    path("agreements/", api.AgreementListApi.as_view(), name="agreement_list"),
    path("agreements/<int:pk>/accept/", api.AgreementAcceptApi.as_view(), name="agreement_accept"),
    path("partner/", api.MyPartnerApi.as_view(), name="my_partner"),
    path("partner/people/", api.PersonListApi.as_view(), name="person_list"),
    path("partner/completions/", api.CompletionUpsertApi.as_view(), name="completion_upsert"),
    path("partners/", api.PartnerListApi.as_view(), name="partner_list"),
    path("partners/<int:pk>/", api.PartnerDetailApi.as_view(), name="partner_detail"),
    path("partners/<int:pk>/team/", api.PartnerTeamApi.as_view(), name="partner_team"),
    path("partners/<int:pk>/people/move/", api.PersonMoveApi.as_view(), name="person_move"),
    path("partners/<int:partner_id>/invitations/", api.InvitationListApi.as_view(), name="invitation_list"),
    path("partners/<int:partner_id>/colleagues/", api.ColleagueListApi.as_view(), name="colleague_list"),
    path("invitations/accept/", api.InvitationAcceptApi.as_view(), name="invitation_accept"),
    path("invitations/<int:pk>/revoke/", api.InvitationRevokeApi.as_view(), name="invitation_revoke"),
    path("colleagues/<int:pk>/remove/", api.ColleagueRemoveApi.as_view(), name="colleague_remove"),
    path("audit/", api.AuditListApi.as_view(), name="audit_list"),
    path("tokens/", api.ApiTokenListApi.as_view(), name="api_token_list"),
    path("tokens/<str:token_id>/revoke/", api.ApiTokenRevokeApi.as_view(), name="api_token_revoke"),
]
