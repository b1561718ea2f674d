"""REST API of the tiers app: a partner's standing, recalculation runs, the designation, program years.

Thin: serializers check shape, services check rules (a service's ValidationError becomes a 400 with
field errors in core.api.exception_handler), tiers/access.py decides who may do what.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from program import services as program_services
from program.models import ProgramYear

from . import access, rules, selectors, services
from . import reasons as tier_reasons
from .filters import AssessmentFilter
from .models import Assessment, RecalculationRun, Tier

BAD = OpenApiResponse(description="Invalid input: field errors.")
FORBIDDEN = OpenApiResponse(description="Not logged in, or your role may not do this.")
NOT_FOUND = OpenApiResponse(description="No such object, or not one you may see.")


# --- Reasons ----------------------------------------------------------------------------------------------


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text="What was decided, e.g. requirement_short; null for a "
                                                            "sentence recorded in English before reasons were codes")
    params = serializers.DictField(help_text="The code's parameters: tier, requirement, have, need, window, dates "
                                             "(ISO), amounts (decimal strings)")
    text = serializers.CharField(help_text="The reason in the reader's language (Accept-Language)")


@extend_schema_field(ReasonSerializer)
class ReasonField(serializers.Field):
    """A stored reason (a code with parameters, tiers/reasons.py) with its text in the reader's language."""

    def to_representation(self, value):
        return tier_reasons.as_data(value)


def reason_fields(texts, codes):
    """``reasons`` (the texts, in the reader's language) and ``reason_codes`` (code, parameters and text), read
    from the attributes ``texts`` and ``codes``."""
    def source(attribute, field):
        return {} if attribute == field else {"source": attribute}

    return (serializers.ListField(child=serializers.CharField(), read_only=True, **source(texts, "reasons")),
            serializers.ListField(child=ReasonField(), read_only=True, **source(codes, "reason_codes")))


# --- Standing ---------------------------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    label = serializers.CharField()
    have = serializers.DecimalField(max_digits=16, decimal_places=2)
    need = serializers.DecimalField(max_digits=16, decimal_places=2)
    met = serializers.BooleanField()


class MetricsSerializer(serializers.Serializer):
    certified_technical = serializers.IntegerField()
    sales_trained = serializers.IntegerField()
    revenue_usd = serializers.DecimalField(max_digits=16, decimal_places=2)
    agreement_accepted = serializers.BooleanField()


class LastRecalculationSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run_id")
    kind = serializers.CharField(source="run.kind")
    as_of = serializers.DateField(source="run.as_of")
    applied_at = serializers.DateTimeField(source="run.applied_at")
    previous_tier = serializers.CharField()
    computed_tier = serializers.CharField()
    applied_tier = serializers.CharField()
    reasons, reason_codes = reason_fields("reason_texts", "reasons")


class TierHistorySerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run_id")
    as_of = serializers.DateField(source="run.as_of")
    kind = serializers.CharField(source="run.kind")
    program_year = serializers.IntegerField(source="run.program_year.year")
    previous_tier = serializers.CharField()
    applied_tier = serializers.CharField()
    reasons, reason_codes = reason_fields("reason_texts", "reasons")


class StandingSerializer(serializers.Serializer):
    partner = serializers.IntegerField(source="partner.pk")
    partner_name = serializers.CharField(source="partner.name")
    tier = serializers.CharField()
    tier_name = serializers.CharField()
    tier_since = serializers.DateField(allow_null=True)
    designated = serializers.BooleanField()
    as_of = serializers.DateField()
    program_year = serializers.IntegerField(source="program_year.year", allow_null=True)
    metrics = MetricsSerializer()
    revenue_from = serializers.DateField()
    revenue_to = serializers.DateField()
    qualified_tier = serializers.CharField()
    next_tier = serializers.CharField(source="next_tier.level", allow_null=True, default=None)
    progress = ProgressSerializer(many=True)
    reasons, reason_codes = reason_fields("reasons", "reason_codes")
    provisional_period_ends_on = serializers.DateField(source="provisional_period.ends_on", allow_null=True,
                                                       default=None)
    last_recalculation = LastRecalculationSerializer(source="last_assessment", allow_null=True)
    tier_history = TierHistorySerializer(source="history", many=True,
                                         help_text="One line per applied recalculation, newest first")


class OwnStandingApi(APIView):
    @extend_schema(responses={200: StandingSerializer, 403: FORBIDDEN}, summary="Your company's tier standing")
    def get(self, request):
        partner = access.own_partner(request.user)
        return Response(StandingSerializer(selectors.standing(partner)).data)


class PartnerStandingApi(APIView):
    @extend_schema(responses={200: StandingSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
                   summary="A partner's tier standing (its own users; staff who may see it)")
    def get(self, request, partner_id):
        partner = access.standing_partner_for_user(request.user, partner_id)
        return Response(StandingSerializer(selectors.standing(partner)).data)


class DesignationInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["give", "remove"])
    reason = serializers.CharField(max_length=2000)


class DesignationApi(APIView):
    @extend_schema(request=DesignationInputSerializer,
                   responses={200: StandingSerializer, 400: BAD, 403: FORBIDDEN, 404: NOT_FOUND},
                   summary="Give or remove the Global Strategic designation (program admin)")
    def post(self, request, partner_id):
        partner = access.staff_partner_for_user(request.user, partner_id, for_change=True)
        data = DesignationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service = services.designation_give if data.validated_data["action"] == "give" else services.designation_remove
        service(partner=partner, user=request.user, reason=data.validated_data["reason"])
        partner.refresh_from_db()
        return Response(StandingSerializer(selectors.standing(partner)).data)


# --- Recalculation runs -----------------------------------------------------------------------------------


class RunSerializer(serializers.ModelSerializer):
    program_year = serializers.IntegerField(source="program_year.year")
    is_stale = serializers.SerializerMethodField(help_text="A preview superseded by a later applied run of its year: "
                                                           "it cannot be applied")
    same_count = serializers.IntegerField()
    started_by = serializers.StringRelatedField()
    applied_by = serializers.StringRelatedField()

    class Meta:
        model = RecalculationRun
        fields = ["id", "kind", "as_of", "program_year", "revenue_from", "revenue_to", "status", "started_by",
                  "created_at", "applied_by", "applied_at", "partner_count", "up_count", "down_count", "same_count",
                  "changed_count", "skipped_count", "scheduled", "is_stale"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_stale(self, run):
        annotated = getattr(run, "is_stale", None)  # selectors.runs() annotates the list
        return annotated if annotated is not None else selectors.superseding_run(run) is not None


class RunInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=rules.KINDS)
    as_of = serializers.DateField(required=False, allow_null=True, default=None,
                                  help_text="Default today. Annual: 1 January of a published program year; not in the future.")


class RunApplyInputSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="Must be true: applying writes tiers and notifies partners.")

    def validate_confirm(self, value):
        if value is not True:
            raise serializers.ValidationError(_("Send confirm: true to apply the run (see the run's counts first)."))
        return value


class AssessmentSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name")
    reasons, reason_codes = reason_fields("reason_texts", "reasons")

    class Meta:
        model = Assessment
        fields = ["partner", "partner_name", "previous_tier", "computed_tier", "applied_tier", "movement",
                  "certified_technical", "sales_trained", "revenue_usd", "agreement_accepted", "designated",
                  "reasons", "reason_codes", "provisional_action", "provisional_ends_on"]
        read_only_fields = fields


class RunListApi(generics.ListAPIView):
    serializer_class = RunSerializer

    def get_queryset(self):
        access.require_recalculation_admin(self.request.user)
        return selectors.runs()

    @extend_schema(responses={200: RunSerializer(many=True), 403: FORBIDDEN}, summary="Recalculation runs")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=RunInputSerializer, responses={201: RunSerializer, 400: BAD, 403: FORBIDDEN},
                   summary="Preview a recalculation (dry run); apply it separately")
    def post(self, request):
        access.require_recalculation_admin(request.user)
        data = RunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.run_preview(started_by=request.user, **data.validated_data)
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)


class RunDetailApi(APIView):
    @extend_schema(responses={200: RunSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, run_id):
        return Response(RunSerializer(access.run_for_user(request.user, run_id)).data)


class AssessmentFilters(serializers.Serializer):
    movement = serializers.ChoiceField(choices=Assessment.Movement.values, required=False)


class RunAssessmentsApi(generics.ListAPIView):
    """Who moves up, down or stays in a run, with the run page's filters (tiers.filters.AssessmentFilter)."""

    serializer_class = AssessmentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AssessmentFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no rows
            return Assessment.objects.none()
        return access.run_for_user(self.request.user, self.kwargs["run_id"]).assessments.all()

    @extend_schema(responses={200: AssessmentSerializer(many=True), 400: BAD, 403: FORBIDDEN, 404: NOT_FOUND},
                   summary="Who moves up, down or stays in a run, with reasons")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RunApplyApi(APIView):
    @extend_schema(request=RunApplyInputSerializer, responses={200: RunSerializer, 400: BAD, 403: FORBIDDEN, 404: NOT_FOUND},
                   summary="Apply a previewed run with confirm: true (applying twice changes nothing; a stale "
                           "preview is refused)")
    def post(self, request, run_id):
        run = access.run_for_user(request.user, run_id)
        RunApplyInputSerializer(data=request.data).is_valid(raise_exception=True)
        run, _ = services.run_apply(run=run, user=request.user)
        return Response(RunSerializer(run).data)


# --- Program years ----------------------------------------------------------------------------------------


class TierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tier
        fields = ["level", "name", "rank", "requires_partner_agreement", "min_certified_technical",
                  "min_sales_trained", "min_revenue_usd", "is_designation"]
        read_only_fields = fields


class ProgramYearRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecalculationRun
        fields = ["id", "kind", "as_of", "applied_at"]
        read_only_fields = fields


class ProgramYearSerializer(serializers.ModelSerializer):
    tiers = TierSerializer(many=True, read_only=True)
    applied_runs = ProgramYearRunSerializer(many=True, read_only=True,
                                            help_text="The applied recalculations that used the year's requirements")

    class Meta:
        model = ProgramYear
        fields = ["year", "name", "starts_on", "ends_on", "status", "published_at", "closed_at",
                  "provisional_period_days", "deal_expiry_days", "deal_reminder_days", "deal_review_business_days",
                  "mdf_cofunding_share", "claim_window_days", "poc_max_amount", "tiers", "applied_runs"]
        read_only_fields = fields


class RequirementInputSerializer(serializers.Serializer):
    min_certified_technical = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    min_sales_trained = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    min_revenue_usd = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)


class ProgramYearInputSerializer(serializers.Serializer):
    provisional_period_days = serializers.IntegerField(min_value=1, max_value=365, required=False)
    poc_max_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False,
        error_messages={"min_value": gettext_lazy("Enter an amount in USD greater than zero.")},
        help_text="The cap of each POC nomination in USD")
    requirements = serializers.DictField(child=RequirementInputSerializer(), required=False)


class ProgramYearListApi(generics.ListAPIView):
    serializer_class = ProgramYearSerializer
    pagination_class = None

    def get_queryset(self):
        access.require_recalculation_admin(self.request.user)
        return selectors.program_years_with_runs()

    @extend_schema(responses={200: ProgramYearSerializer(many=True), 403: FORBIDDEN})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProgramYearDetailApi(APIView):
    @extend_schema(responses={200: ProgramYearSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, year):
        return Response(ProgramYearSerializer(_with_runs(access.program_year_for_user(request.user, year))).data)

    @extend_schema(request=ProgramYearInputSerializer,
                   responses={200: ProgramYearSerializer, 400: BAD, 403: FORBIDDEN, 404: NOT_FOUND},
                   summary="Edit the provisional period, the POC maximum and the tiers' thresholds (all or nothing)")
    def patch(self, request, year):
        program_year = access.program_year_for_user(request.user, year)
        data = ProgramYearInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.program_year_update(
            program_year=program_year, user=request.user,
            provisional_period_days=data.validated_data.get("provisional_period_days",
                                                            program_year.provisional_period_days),
            requirements=data.validated_data.get("requirements", {}),
            poc_max_amount=data.validated_data.get("poc_max_amount"),
        )
        return Response(ProgramYearSerializer(_with_runs(program_year)).data)


def _with_runs(program_year):
    return selectors.program_years_with_runs().get(pk=program_year.pk)


class ProgramYearLifecycleApi(APIView):
    """POST publishes a draft year or closes a published one after its end (program admin; audited)."""

    action = None

    @extend_schema(request=None, responses={200: ProgramYearSerializer, 400: BAD, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, year):
        program_year = access.program_year_for_user(request.user, year)
        service = {"publish": program_services.program_year_publish, "close": program_services.program_year_close}
        program_year = service[self.action](program_year=program_year, user=request.user)
        return Response(ProgramYearSerializer(_with_runs(program_year)).data)
