from django.urls import path

from . import api

urlpatterns = [
    path("deal-registrations/", api.RegistrationListCreateApi.as_view(), name="dealreg-registrations"),
    path("deal-registrations/queue/", api.ReviewQueueApi.as_view(), name="dealreg-queue"),
    path("deal-registrations/claims/", api.ClaimCreateApi.as_view(), name="dealreg-claims"),
    path("deal-registrations/<int:pk>/", api.RegistrationDetailApi.as_view(), name="dealreg-registration"),
    path("deal-registrations/<int:pk>/withdraw/", api.WithdrawApi.as_view(), name="dealreg-withdraw"),
    path("deal-registrations/<int:pk>/respond/", api.RespondApi.as_view(), name="dealreg-respond"),
    path("deal-registrations/<int:pk>/request-extension/", api.RequestExtensionApi.as_view(),
         name="dealreg-request-extension"),
    path("deal-registrations/<int:pk>/approve/", api.ApproveApi.as_view(), name="dealreg-approve"),
    path("deal-registrations/<int:pk>/reject/", api.RejectApi.as_view(), name="dealreg-reject"),
    path("deal-registrations/<int:pk>/request-info/", api.RequestInfoApi.as_view(), name="dealreg-request-info"),
    path("deal-registrations/<int:pk>/win/", api.WinApi.as_view(), name="dealreg-win"),
    path("deal-registrations/<int:pk>/lose/", api.LoseApi.as_view(), name="dealreg-lose"),
    path("deal-registrations/<int:pk>/decide-extension/", api.DecideExtensionApi.as_view(),
         name="dealreg-decide-extension"),
    path("opportunities/import/", api.OpportunityImportApi.as_view(), name="dealreg-opportunity-import"),
    path("customer-accounts/import/", api.CustomerAccountImportApi.as_view(), name="dealreg-account-import"),
]
