from django.urls import path

from . import api

urlpatterns = [
    path("benefits/", api.BenefitsApi.as_view(), name="benefits"),
    path("benefits/invitations/", api.InvitationListApi.as_view(), name="benefit_invitations"),
    path("benefits/invitations/<int:invitation_id>/withdraw/", api.InvitationWithdrawApi.as_view(),
         name="benefit_invitation_withdraw"),
    path("benefits/partners/<int:partner_id>/invitations/", api.PartnerInvitationsApi.as_view(),
         name="partner_benefit_invitations"),
    # The path the tiers app used to serve: copying a year copies its benefits, so it lives here now.
    path("program-years/copy/", api.ProgramYearCopyApi.as_view(), name="program_year_copy"),
    path("showcase/", api.ShowcaseApi.as_view(), name="showcase"),
    path("showcase/leads/", api.LeadListApi.as_view(), name="directory_leads"),
    path("badge/", api.BadgeApi.as_view(), name="badge"),
    path("directory/", api.DirectoryApi.as_view(), name="directory"),
    path("directory/<int:partner_id>/", api.DirectoryListingApi.as_view(), name="directory_listing"),
    path("directory/<int:partner_id>/leads/", api.DirectoryLeadCreateApi.as_view(), name="directory_lead_create"),
]
