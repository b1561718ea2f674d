from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("funding/", views.overview, name="overview"),
    path("funding/eligibility/", views.eligibility, name="eligibility"),
    path("funding/poc/new/", views.poc_new, name="poc_new"),
    path("funding/mdf/new/", views.mdf_new, name="mdf_new"),
    path("funding/requests/", views.request_list, name="requests"),
    path("funding/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("funding/requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("funding/requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("funding/requests/<int:pk>/approve/", views.request_approve, name="request_approve"),
    path("funding/requests/<int:pk>/reject/", views.request_reject, name="request_reject"),
    path("funding/requests/<int:pk>/request-info/", views.request_info, name="request_info"),
    path("funding/requests/<int:pk>/claim/", views.request_claim, name="request_claim"),
    path("funding/requests/<int:pk>/claim/approve/", views.claim_approve, name="claim_approve"),
    path("funding/requests/<int:pk>/claim/reject/", views.claim_reject, name="claim_reject"),
    path("funding/requests/<int:pk>/claim/pay/", views.claim_pay, name="claim_pay"),
    path("funding/files/<int:pk>/", views.claim_file, name="claim_file"),
    path("funding/queue/", views.queue, name="queue"),
    path("funding/queue/export.csv", views.queue_export, name="queue_export"),
    path("funding/partners/<int:partner_id>/", views.partner_funding, name="partner_funding"),
    path("funding/allocations/", views.allocations, name="allocations"),
    path("funding/allocations/export.csv", views.allocations_export, name="allocations_export"),
    path("funding/allocations/<int:partner_id>/", views.allocation_set, name="allocation_set"),
]
