from django.urls import path

from . import api

urlpatterns = [
    path("tier/", api.OwnStandingApi.as_view(), name="tier_standing"),
    path("partners/<int:partner_id>/tier/", api.PartnerStandingApi.as_view(), name="partner_tier_standing"),
    path("partners/<int:partner_id>/tier/designation/", api.DesignationApi.as_view(), name="partner_designation"),
    path("tier-runs/", api.RunListApi.as_view(), name="tier_runs"),
    path("tier-runs/<int:run_id>/", api.RunDetailApi.as_view(), name="tier_run_detail"),
    path("tier-runs/<int:run_id>/assessments/", api.RunAssessmentsApi.as_view(), name="tier_run_assessments"),
    path("tier-runs/<int:run_id>/apply/", api.RunApplyApi.as_view(), name="tier_run_apply"),
    path("program-years/", api.ProgramYearListApi.as_view(), name="program_years"),
    path("program-years/<int:year>/", api.ProgramYearDetailApi.as_view(), name="program_year_detail"),
    path("program-years/<int:year>/publish/", api.ProgramYearLifecycleApi.as_view(action="publish"),
         name="program_year_publish"),
    path("program-years/<int:year>/close/", api.ProgramYearLifecycleApi.as_view(action="close"),
         name="program_year_close"),
]
