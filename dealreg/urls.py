from django.urls import path

from . import views

app_name = "dealreg"
urlpatterns = [
    path("deals/", views.registration_list, name="list"),
    path("deals/new/", views.registration_create, name="create"),
    path("deals/claim/", views.registration_claim, name="claim"),
    path("deals/<int:pk>/", views.registration_detail, name="detail"),
    path("deals/<int:pk>/withdraw/", views.registration_withdraw, name="withdraw"),
    path("deals/<int:pk>/respond/", views.registration_respond, name="respond"),
    path("deals/<int:pk>/extension/", views.registration_request_extension, name="request_extension"),
    path("deals/<int:pk>/decide/", views.registration_decide, name="decide"),
    path("deals/<int:pk>/outcome/", views.registration_outcome, name="outcome"),
    path("deals/<int:pk>/extension/decide/", views.registration_extension_decide, name="extension_decide"),
    path("staff/deals/", views.review_queue, name="queue"),
    path("staff/sales-imports/", views.sales_import, name="import"),
]
