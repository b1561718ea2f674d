from django.urls import path

from . import api

urlpatterns = [
    path("funding/eligibility/", api.EligibilityApi.as_view(), name="funding-eligibility"),
    path("funding/summary/", api.SummaryApi.as_view(), name="funding-summary"),
    path("funding/poc-nominations/", api.PocCreateApi.as_view(), name="funding-poc-create"),
    path("funding/mdf-requests/", api.MdfCreateApi.as_view(), name="funding-mdf-create"),
    path("funding/requests/", api.RequestListApi.as_view(), name="funding-requests"),
    path("funding/requests/<int:pk>/", api.RequestDetailApi.as_view(), name="funding-request-detail"),
    path("funding/requests/<int:pk>/withdraw/", api.WithdrawApi.as_view(), name="funding-request-withdraw"),
    path("funding/requests/<int:pk>/answer/", api.AnswerApi.as_view(), name="funding-request-answer"),
    path("funding/requests/<int:pk>/approve/", api.ApproveApi.as_view(), name="funding-request-approve"),
    path("funding/requests/<int:pk>/reject/", api.RejectApi.as_view(), name="funding-request-reject"),
    path("funding/requests/<int:pk>/request-info/", api.RequestInfoApi.as_view(), name="funding-request-info"),
    path("funding/requests/<int:pk>/claim/", api.ClaimApi.as_view(), name="funding-claim"),
    path("funding/requests/<int:pk>/claim/approve/", api.ClaimApproveApi.as_view(), name="funding-claim-approve"),
    path("funding/requests/<int:pk>/claim/reject/", api.ClaimRejectApi.as_view(), name="funding-claim-reject"),
    path("funding/requests/<int:pk>/claim/pay/", api.ClaimPayApi.as_view(), name="funding-claim-pay"),
    path("funding/files/<int:pk>/", api.ClaimFileApi.as_view(), name="funding-claim-file"),
    path("funding/queue/", api.QueueApi.as_view(), name="funding-queue"),
    path("funding/partners/<int:partner_id>/summary/", api.PartnerSummaryApi.as_view(), name="funding-partner-summary"),
    path("funding/allocations/", api.AllocationListApi.as_view(), name="funding-allocations"),
    path("funding/allocations/<int:partner_id>/", api.AllocationSetApi.as_view(), name="funding-allocation-set"),
    path("funding/tier-defaults/", api.TierDefaultApi.as_view(), name="funding-tier-default"),
]
