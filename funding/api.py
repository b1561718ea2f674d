"""REST API of the funding app (/api/v1/funding/...): one thin view per operation. Serializers check
shape and list the only fields read from a request body; services check the rules (their
ValidationError becomes a 400 with field errors in core/api.py); access decides who."""

from django.http import FileResponse
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.query import query_filters
from partners.access import partners_visible_to
from partners.models import Partner, TierLevel

from . import access, ledger, rules, selectors, services
from .filters import AllocationFilter, FundingQueueFilter
from .models import TWILIO_PRODUCTS, FundingRequest, LedgerEntry, MdfActivityType, Program, Status

MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE = {**MONEY, "min_value": rules.CENT}

ERRORS = {
    400: OpenApiResponse(description="Invalid input or a broken rule; field errors keyed by field name."),
    403: OpenApiResponse(description="Not logged in, or your role may not do this (or you are not eligible)."),
    404: OpenApiResponse(description="No such object among those you may see."),
}
READ_ERRORS = {k: v for k, v in ERRORS.items() if k != 400}


# ---------------------------------------------------------------- serializers


class ClaimFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return reverse("api:funding-claim-file", args=[obj.pk])


class ClaimSerializer(serializers.Serializer):
    actual_cost = serializers.DecimalField(**MONEY)
    notes = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    approved_amount = serializers.DecimalField(**MONEY, allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    payment_reference = serializers.CharField()
    paid_at = serializers.DateTimeField(allow_null=True)
    files = ClaimFileSerializer(many=True, source="files.all")


class FundingRequestSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    program_year = serializers.IntegerField(source="program_year.year", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.email", read_only=True)

    class Meta:
        model = FundingRequest
        fields = ["id", "reference", "program", "partner", "partner_name", "program_year", "status", "title", "starts_on",
                  "ends_on", "requested_amount", "approved_amount", "customer_name", "goals", "success_criteria",
                  "next_steps", "products", "activity_type", "description", "total_cost", "cofunding_share",
                  "submitted_by", "submitted_at", "decided_at", "claim_deadline"]
        read_only_fields = fields


class HistorySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.email", default=None)
    action = serializers.CharField()
    before = serializers.DictField()
    after = serializers.DictField()
    reason = serializers.CharField()


class FundingRequestDetailSerializer(FundingRequestSerializer):
    claim = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=list(rules.TRANSITIONS)), read_only=True,
        help_text="What you may do with this request now (the workflow's actions for your side); each is a POST "
                  "to its own URL under /api/v1/funding/requests/{id}/.")

    over_allocation_by = serializers.SerializerMethodField(
        help_text="MDF requests awaiting a decision: how much they ask beyond the remaining allocation (else null)")

    class Meta(FundingRequestSerializer.Meta):
        fields = [*FundingRequestSerializer.Meta.fields, "claim", "history", "actions", "over_allocation_by"]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(**MONEY, allow_null=True))
    def get_over_allocation_by(self, obj):
        excess = selectors.request_over_allocation(obj)
        return None if excess is None else f"{excess:.2f}"

    @extend_schema_field(ClaimSerializer(allow_null=True))
    def get_claim(self, obj):
        claim = selectors.claim_of(obj)
        return ClaimSerializer(claim).data if claim else None

    @extend_schema_field(HistorySerializer(many=True))
    def get_history(self, obj):
        return HistorySerializer(selectors.request_history(obj), many=True).data


class PocNominationInput(serializers.Serializer):
    customer_name = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=200, help_text="Project name")
    goals = serializers.CharField(max_length=4000)
    success_criteria = serializers.CharField(max_length=4000)
    next_steps = serializers.CharField(max_length=4000)
    products = serializers.ListField(child=serializers.ChoiceField(choices=TWILIO_PRODUCTS), allow_empty=False)
    requested_amount = serializers.DecimalField(**POSITIVE)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class MdfRequestInput(serializers.Serializer):
    activity_type = serializers.ChoiceField(choices=MdfActivityType.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    total_cost = serializers.DecimalField(**POSITIVE)
    requested_amount = serializers.DecimalField(**POSITIVE)


class WithdrawInput(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=4000)
    requested_amount = serializers.DecimalField(**POSITIVE, required=False, allow_null=True, default=None)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class ApproveInput(serializers.Serializer):
    approved_amount = serializers.DecimalField(**POSITIVE)
    reason = serializers.CharField(max_length=4000)


class PayInput(serializers.Serializer):
    payment_reference = serializers.CharField(max_length=100)
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ClaimInput(serializers.Serializer):
    actual_cost = serializers.DecimalField(**POSITIVE)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=False), allow_empty=False,
                                  max_length=rules.PROOF_MAX_FILES)


class FiguresSerializer(serializers.Serializer):
    allocated = serializers.DecimalField(**MONEY)
    approved = serializers.DecimalField(**MONEY, source="committed", help_text="Approved minus returned")
    approved_total = serializers.DecimalField(**MONEY, source="approved", help_text="Every approval, before returns")
    returned = serializers.DecimalField(**MONEY)
    claimed = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reason = serializers.CharField()
    how_to_become_eligible = serializers.ListField(child=serializers.CharField())
    by_invitation = serializers.BooleanField()


class LedgerEntrySerializer(serializers.ModelSerializer):
    request_reference = serializers.CharField(source="request.reference", default=None)
    note = serializers.SerializerMethodField(
        help_text="What the entry says, in the caller's language (as the partner's funding page shows it): the "
                  "portal's words for its cause, then what a person typed (a program admin's reason)")
    params = serializers.DictField(read_only=True, help_text="What happened, as data: the cause and its figures, "
                                                             "e.g. {\"cause\": \"payment\", \"reference\": \"PAY-1\"}")

    class Meta:
        model = LedgerEntry
        fields = ["id", "at", "program", "kind", "amount", "request", "request_reference", "note", "params"]

    def get_note(self, obj) -> str:
        return ledger.ledger_words(obj)


class AllocationInput(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY, min_value=0)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TierDefaultInput(AllocationInput):
    tier = serializers.ChoiceField(choices=[t.value for t in TierLevel if TierLevel.at_least(t.value, TierLevel.BRONZE)])


SummarySerializer = inline_serializer("FundingSummary", {
    "program_year": serializers.IntegerField(),
    "mdf": FiguresSerializer(),
    "poc": FiguresSerializer(),
    "poc_max_amount": serializers.DecimalField(**MONEY),
})


YEAR_PARAMETER = OpenApiParameter("year", OpenApiTypes.INT, description="A published or closed program year; "
                                                                      "default: the one in force today")
BAD_YEAR = OpenApiResponse(description="No published program year for ?year=, or none in force today.")


def _summary(partner, program_year, *, ledger=False):
    data = {
        "program_year": program_year.year,
        "mdf": FiguresSerializer(selectors.ledger_figures(partner=partner, program_year=program_year)).data,
        "poc": FiguresSerializer(selectors.ledger_figures(partner=partner, program_year=program_year, program=Program.POC)).data,
        "poc_max_amount": str(program_year.poc_max_amount),
    }
    if ledger:
        data["ledger"] = LedgerEntrySerializer(selectors.ledger_entries(partner=partner, program_year=program_year)[:500],
                                               many=True).data
    return data


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _detail(request, funding_request, code=status.HTTP_200_OK):
    funding_request = FundingRequest.objects.select_related("partner", "program_year", "submitted_by").get(
        pk=funding_request.pk)
    offered = access.actions_for(request.user, funding_request)
    funding_request.actions = [action for action in rules.TRANSITIONS if action in offered]
    return Response(FundingRequestDetailSerializer(funding_request).data, status=code)


# ---------------------------------------------------------------- partner side


class EligibilityApi(APIView):
    @extend_schema(tags=["funding"], responses={200: inline_serializer("FundingEligibility", {
        "poc": EligibilitySerializer(), "mdf": EligibilitySerializer()}), **READ_ERRORS})
    def get(self, request):
        access.require_funding_partner_user(request.user)
        program_year = selectors.current_program_year()
        return Response({p: EligibilitySerializer(selectors.eligibility(partner=request.user.partner, program=p,
                                                                           program_year=program_year)).data
                         for p in (Program.POC, Program.MDF)})


class SummaryApi(APIView):
    @extend_schema(tags=["funding"], responses={200: SummarySerializer, 400: BAD_YEAR, **READ_ERRORS},
                   parameters=[YEAR_PARAMETER],
                   description="The partner's MDF allocation figures and POC figures of a program year (default: the "
                               "current one), all derived from the ledger.")
    def get(self, request):
        access.require_funding_partner_user(request.user)
        return Response(_summary(request.user.partner, selectors.program_year_chosen(request.query_params.get("year"))))


def _require_eligible(user, program):
    verdict = selectors.eligibility(partner=user.partner, program=program, program_year=selectors.current_program_year())
    if not verdict.eligible:
        raise exceptions.PermissionDenied(detail={
            "detail": verdict.reason, "how_to_become_eligible": verdict.how_to_become_eligible,
            "eligibility_url": reverse("funding:eligibility"),
        })


class PocCreateApi(APIView):
    @extend_schema(tags=["funding"], request=PocNominationInput,
                   responses={201: FundingRequestDetailSerializer, **ERRORS},
                   description="Nominate a POC project. A partner that is not eligible gets 403 with the reason "
                               "and how to become eligible.")
    def post(self, request):
        access.require_funding_partner_user(request.user)
        _require_eligible(request.user, Program.POC)
        data = _valid(PocNominationInput, request)
        created = services.poc_nominate(partner=request.user.partner, user=request.user, **data)
        return _detail(request, created, status.HTTP_201_CREATED)


class MdfCreateApi(APIView):
    @extend_schema(tags=["funding"], request=MdfRequestInput,
                   responses={201: FundingRequestDetailSerializer, **ERRORS},
                   description="Request MDF: requested_amount is at most the program year's co-investment share "
                               "of total_cost. A partner that is not eligible gets 403 with the reason.")
    def post(self, request):
        access.require_funding_partner_user(request.user)
        _require_eligible(request.user, Program.MDF)
        data = _valid(MdfRequestInput, request)
        created = services.mdf_request_submit(partner=request.user.partner, user=request.user, **data)
        return _detail(request, created, status.HTTP_201_CREATED)


class RequestFilters(serializers.Serializer):
    program = serializers.ChoiceField(choices=Program.values, required=False)
    status = serializers.ChoiceField(choices=Status.values, required=False)


class RequestListApi(generics.ListAPIView):
    serializer_class = FundingRequestSerializer

    def get_queryset(self):
        filters = query_filters(self.request, RequestFilters)
        return selectors.requests_list(access.requests_visible_to(self.request.user),
                                       program=filters.get("program"),
                                       status=filters.get("status")).select_related("program_year")

    @extend_schema(tags=["funding"], parameters=[
        OpenApiParameter("program", enum=Program.values), OpenApiParameter("status", enum=Status.values)],
        responses={200: FundingRequestSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RequestDetailApi(APIView):
    @extend_schema(tags=["funding"], responses={200: FundingRequestDetailSerializer, **READ_ERRORS})
    def get(self, request, pk):
        return _detail(request, access.request_for_user(request.user, pk))


def _action(input_class, description):
    return extend_schema(tags=["funding"], request=input_class, responses={200: FundingRequestDetailSerializer, **ERRORS},
                         description=description)


class WithdrawApi(APIView):
    @_action(WithdrawInput, "The partner withdraws a request before a decision.")
    def post(self, request, pk):
        fr = access.request_for_user(request.user, pk, for_change=True)
        changed = services.request_withdraw(funding_request=fr, user=request.user, **_valid(WithdrawInput, request))
        return _detail(request, changed)


class AnswerApi(APIView):
    @_action(AnswerInput, "The partner answers a request for information (optionally with a revised amount).")
    def post(self, request, pk):
        fr = access.request_for_user(request.user, pk, for_change=True)
        changed = services.request_answer(funding_request=fr, user=request.user, **_valid(AnswerInput, request))
        return _detail(request, changed)


class ClaimApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(tags=["funding"], request={"multipart/form-data": ClaimInput},
                   responses={200: FundingRequestDetailSerializer, **ERRORS},
                   description="Claim an approved request after the activity: actual cost and proof-of-performance "
                               "files (PDF, PNG or JPEG by content, at most 10 MB each).")
    def post(self, request, pk):
        fr = access.request_for_user(request.user, pk, for_change=True)
        serializer = ClaimInput(data={"actual_cost": request.data.get("actual_cost"), "notes": request.data.get("notes", ""),
                                      "files": request.FILES.getlist("files")})
        serializer.is_valid(raise_exception=True)
        services.claim_submit(funding_request=fr, user=request.user, **serializer.validated_data)
        return _detail(request, fr)


class ClaimFileApi(APIView):
    @extend_schema(tags=["funding"], responses={(200, "application/octet-stream"): OpenApiResponse(
        description="The file (PDF, PNG or JPEG) as an attachment."), **READ_ERRORS},
        description="Download a proof-of-performance file: the partner's users and staff who may see the claim.")
    def get(self, request, pk):
        row = access.claim_file_for_user(request.user, pk)
        response = FileResponse(row.file.open("rb"), as_attachment=True, filename=row.original_name,
                                content_type=row.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# ---------------------------------------------------------------- staff side


class FundingQueueItemSerializer(FundingRequestSerializer):
    claimed = serializers.DecimalField(**MONEY, allow_null=True, read_only=True, help_text="The claim's approved amount")
    paid = serializers.DecimalField(**MONEY, allow_null=True, read_only=True)
    outstanding = serializers.DecimalField(**MONEY, read_only=True, help_text="Approved and not paid yet")

    remaining_allocation = serializers.DecimalField(
        **MONEY, allow_null=True, read_only=True,
        help_text="MDF requests awaiting a decision: what remains of the partner's allocation (else null)")
    over_allocation_by = serializers.DecimalField(
        **MONEY, allow_null=True, read_only=True,
        help_text="How much the request asks beyond the remaining allocation (null when it fits or is decided)")

    class Meta(FundingRequestSerializer.Meta):
        fields = [*FundingRequestSerializer.Meta.fields, "claimed", "paid", "outstanding", "remaining_allocation",
                  "over_allocation_by"]
        read_only_fields = fields


class QueueApi(generics.ListAPIView):
    """The funding queue with the page's filters and ordering (funding.filters.FundingQueueFilter)."""

    serializer_class = FundingQueueItemSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = FundingQueueFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no rows
            return FundingRequest.objects.none()
        access.require_reviewer(self.request.user)
        return access.requests_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        page = selectors.with_remaining_allocation(
            self.paginate_queryset(selectors.queue_rows(self.filter_queryset(self.get_queryset()))))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(tags=["funding"], responses={200: FundingQueueItemSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]},
                   description="By default what waits on staff: requests awaiting a decision, claims awaiting review "
                               "and approved claims to pay, of the PAM's partners and partners without a PAM (program "
                               "admins: all); any status with the filters.")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ApproveApi(APIView):
    @_action(ApproveInput, "Approve with an amount (at most the requested amount and, for MDF, the remaining allocation).")
    def post(self, request, pk):
        fr = access.request_for_review(request.user, pk)
        changed = services.request_approve(funding_request=fr, reviewer=request.user, **_valid(ApproveInput, request))
        return _detail(request, changed)


class RejectApi(APIView):
    @_action(ReasonInput, "Reject a request, with the reason.")
    def post(self, request, pk):
        fr = access.request_for_review(request.user, pk)
        changed = services.request_reject(funding_request=fr, reviewer=request.user, **_valid(ReasonInput, request))
        return _detail(request, changed)


class RequestInfoApi(APIView):
    @_action(ReasonInput, "Ask the partner for information (the reason is the question).")
    def post(self, request, pk):
        fr = access.request_for_review(request.user, pk)
        changed = services.request_info(funding_request=fr, reviewer=request.user, **_valid(ReasonInput, request))
        return _detail(request, changed)


class ClaimApproveApi(APIView):
    @_action(ApproveInput, "Approve a claim: at most the approved amount and the co-investment share of the actual cost.")
    def post(self, request, pk):
        fr = access.request_for_review(request.user, pk)
        services.claim_approve(funding_request=fr, reviewer=request.user, **_valid(ApproveInput, request))
        return _detail(request, fr)


class ClaimRejectApi(APIView):
    @_action(ReasonInput, "Reject a claim; the approved amount returns to the allocation.")
    def post(self, request, pk):
        fr = access.request_for_review(request.user, pk)
        services.claim_reject(funding_request=fr, reviewer=request.user, **_valid(ReasonInput, request))
        return _detail(request, fr)


class ClaimPayApi(APIView):
    @_action(PayInput, "Program admins mark an approved claim paid, with the payment reference.")
    def post(self, request, pk):
        fr = access.request_for_payment(request.user, pk)
        services.claim_mark_paid(funding_request=fr, admin=request.user, **_valid(PayInput, request))
        return _detail(request, fr)


class PartnerSummaryApi(APIView):
    @extend_schema(tags=["funding"], responses={200: SummarySerializer, 400: BAD_YEAR, **READ_ERRORS},
                   parameters=[YEAR_PARAMETER],
                   description="Staff: a partner's figures and ledger entries of a program year (default: the current one).")
    def get(self, request, partner_id):
        partner = access.partner_for_staff(request.user, partner_id)
        return Response(_summary(partner, selectors.program_year_chosen(request.query_params.get("year")), ledger=True))


class AllocationRowSerializer(serializers.Serializer):
    partner = serializers.IntegerField(source="pk")
    partner_name = serializers.CharField(source="name")
    tier = serializers.CharField()
    amount = serializers.DecimalField(**MONEY, source="allocated")
    committed = serializers.DecimalField(**MONEY)
    claimed = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    is_custom = serializers.BooleanField()


class AllocationTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    allocated = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY)
    claimed = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)


@extend_schema_serializer(many=False)
class AllocationsSerializer(serializers.Serializer):
    program_year = serializers.IntegerField()
    tier_defaults = serializers.DictField(child=serializers.DecimalField(**MONEY))
    totals = AllocationTotalsSerializer(help_text="Of every partner the filters select, not only this page")
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    partners = AllocationRowSerializer(many=True)


class AllocationListApi(generics.ListAPIView):
    """The year's MDF allocations with the page's filters and ordering (funding.filters.AllocationFilter),
    a page of partners at a time, with the totals of all that the filters select."""

    serializer_class = AllocationRowSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AllocationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no rows
            return Partner.objects.none()
        access.require_allocation_admin(self.request.user)
        self.program_year = selectors.current_program_year()
        queryset, self.defaults = selectors.allocations(partners_visible_to(self.request.user),
                                                        program_year=self.program_year)
        return queryset

    def list(self, request, *args, **kwargs):
        filtered = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(filtered)
        return Response({
            "program_year": self.program_year.year,
            "tier_defaults": {tier: str(amount) for tier, amount in self.defaults.items()},
            "totals": AllocationTotalsSerializer(selectors.allocation_totals(
                filtered, program_year=self.program_year, defaults=self.defaults)).data,
            "count": self.paginator.page.paginator.count,
            "next": self.paginator.get_next_link(), "previous": self.paginator.get_previous_link(),
            "partners": AllocationRowSerializer(page, many=True).data,
        })

    @extend_schema(tags=["funding"], responses={200: AllocationsSerializer, 400: ERRORS[400], 403: ERRORS[403]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AllocationSetApi(APIView):
    @extend_schema(tags=["funding"], request=AllocationInput, responses={200: SummarySerializer, **ERRORS},
                   description="Program admins set one partner's MDF allocation for the current program year.")
    def post(self, request, partner_id):
        access.require_allocation_admin(request.user)
        partner = access.partner_for_staff(request.user, partner_id)
        program_year = selectors.current_program_year()
        services.allocation_set(partner=partner, program_year=program_year, admin=request.user,
                                **_valid(AllocationInput, request))
        return Response(_summary(partner, program_year))


class TierDefaultApi(APIView):
    @extend_schema(tags=["funding"], request=TierDefaultInput, responses={200: inline_serializer("MdfTierDefault", {
        "tier": serializers.CharField(), "amount": serializers.DecimalField(**MONEY)}), **ERRORS},
        description="Program admins set a tier's default MDF allocation; it applies to the tier's partners "
                    "that follow the default.")
    def post(self, request):
        access.require_allocation_admin(request.user)
        default = services.tier_default_set(program_year=selectors.current_program_year(), admin=request.user,
                                            **_valid(TierDefaultInput, request))
        return Response({"tier": default.tier, "amount": str(default.amount)})
