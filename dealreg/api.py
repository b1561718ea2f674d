"""REST API under /api/v1/: thin callers of access, selectors and services (same rules as the pages).

Serializers check shape only; a rule broken in a service is a ValidationError that the project's
exception handler (core/api.py) turns into a 400 with field errors.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from activity.api import CappedPagination
from activity.selectors import CappedPaginator
from core.query import query_filters
from partners.access import require_staff

from . import access, rules, selectors, services
from .filters import ReviewQueueFilter
from .history import CODES as EVENT_REASON_CODES
from .imports import ImportRejected
from .models import DealRegistration, DealRegistrationEvent, Opportunity, SalesImport

BAD_INPUT = OpenApiResponse(description="Bad input: field errors, or a transition the state machine refuses.")
FORBIDDEN = OpenApiResponse(description="Not allowed for your role.")
NOT_FOUND = OpenApiResponse(description="No such registration (or not yours to see).")


# --- serializers ---------------------------------------------------------------------------------------

class RegistrationInSerializer(serializers.Serializer):
    """What a partner may send. Anything else (status, partner, expires_on...) is ignored."""

    customer_company = serializers.CharField(max_length=200)
    website = serializers.CharField(max_length=300, help_text="Customer website or domain; stored normalised.")
    country = serializers.RegexField(r"^[A-Za-z]{2}$", max_length=2,
                                     error_messages={"invalid": gettext_lazy("Enter the two-letter country code, e.g. US.")})
    contact_name = serializers.CharField(max_length=150)
    contact_email = serializers.EmailField(max_length=254)
    products = serializers.ListField(child=serializers.ChoiceField(choices=Opportunity.ProductLine.choices),
                                     allow_empty=False, max_length=10)
    use_case = serializers.CharField(max_length=4000)
    estimated_arr_usd = serializers.DecimalField(max_digits=14, decimal_places=2)
    expected_close_date = serializers.DateField()
    confirm = serializers.BooleanField(
        required=False, default=False,
        help_text="Send true to submit figures the program finds unusual (an ARR above the year's ceiling, a "
                  "close date far ahead) once you have checked them; without it they answer 400 on that field.")


def valid_fields(serializer):
    """The fields of ``serializer`` (already validated) whose own value parsed: the rules check these too, so
    a 400 lists every field's error at once."""
    out = {}
    for name, field in serializer.fields.items():
        if name in serializer.errors:
            continue
        try:
            out[name] = field.run_validation(serializer.initial_data.get(name, serializers.empty))
        except (serializers.ValidationError, serializers.SkipField):
            continue
    return out


class ClaimInSerializer(serializers.Serializer):
    """A missing sourced opportunity: the sales system's opportunity id, or the customer's domain."""

    opportunity_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                           help_text="The sales system's opportunity id (external id).")
    website = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                    help_text="Customer website or domain, when no opportunity id is given.")
    sourced_how = serializers.CharField(max_length=4000, help_text="How the partner sourced the opportunity.")
    country = serializers.RegexField(r"^[A-Za-z]{2}$", max_length=2,
                                     error_messages={"invalid": gettext_lazy("Enter the two-letter country code, e.g. US.")})
    contact_name = serializers.CharField(max_length=150)
    contact_email = serializers.EmailField(max_length=254)

    def validate(self, attrs):
        if not attrs.get("opportunity_id", "").strip() and not attrs.get("website", "").strip():
            raise serializers.ValidationError(
                {"opportunity_id": _("Give the sales system's opportunity id or the customer's website domain.")})
        return attrs


class ClaimedOpportunitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Opportunity
        fields = ["external_id", "account_name", "stage", "close_date", "arr_usd"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    reason = serializers.CharField(
        source="text", read_only=True,
        help_text="Why, in words in the reader's language (Accept-Language): what the portal says happened "
                  "(reason_code), then what the person typed (note), one per line.")
    note = serializers.CharField(source="reason", read_only=True,
                                 help_text="What the person typed (the PAM's reason, the partner's answer), as typed.")
    reason_code = serializers.ChoiceField(
        choices=EVENT_REASON_CODES, read_only=True, allow_blank=True,
        help_text="What the portal itself says happened, as a code (blank when only a person's note explains it); "
                  "its parameters are reason_params. Codes are never renamed.")
    reason_params = serializers.DictField(
        read_only=True,
        help_text="The code's parameters: dates as ISO strings, amounts in USD as decimal strings, choice codes "
                  "(reject_reason as in the registration's reject_reason).")

    class Meta:
        model = DealRegistrationEvent
        fields = ["at", "actor", "action", "from_status", "to_status", "reason", "note", "reason_code", "reason_params"]

    def get_actor(self, event) -> str:
        return str(event.actor) if event.actor else "Build Portal"


class RegistrationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    partner = serializers.CharField(source="partner.name", read_only=True)
    business_days_waiting = serializers.IntegerField(read_only=True, default=None)
    is_overdue = serializers.BooleanField(read_only=True, default=False)
    opportunity_external_id = serializers.CharField(source="opportunity.external_id", read_only=True, default=None,
                                                    allow_null=True)

    class Meta:
        model = DealRegistration
        fields = [
            "id", "reference", "partner", "customer_company", "domain", "country", "contact_name", "contact_email",
            "products", "use_case", "estimated_arr_usd", "expected_close_date", "status", "created_at",
            "waiting_since", "business_days_waiting", "is_overdue", "decided_at", "reject_reason", "decision_note",
            "approved_on", "expires_on", "extension", "final_arr_usd", "closed_on", "already_closed", "sourced_how",
            "opportunity_external_id",
        ]
        read_only_fields = fields


class ConflictsSerializer(serializers.Serializer):
    other_partner = serializers.BooleanField()
    existing_customer = serializers.BooleanField()
    opportunity = serializers.BooleanField()
    other_partner_attached = serializers.BooleanField(help_text="Another partner is already on the opportunity.")


class RegistrationDetailSerializer(RegistrationSerializer):
    history = EventSerializer(many=True, read_only=True)
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=list(rules.TRANSITIONS)), read_only=True,
        help_text="What you may do with this registration now (the workflow's actions for your side); each is "
                  "a POST to /api/v1/deal-registrations/{id}/<action>/, its name written with hyphens.")
    conflicts = ConflictsSerializer(read_only=True, allow_null=True, help_text="Staff only.")
    claimed_opportunity = ClaimedOpportunitySerializer(
        read_only=True, allow_null=True, default=None,
        help_text="Staff only, for a missing sourced opportunity: the sales system's record (already closed won on "
                  "close_date with arr_usd).")

    class Meta(RegistrationSerializer.Meta):
        fields = [*RegistrationSerializer.Meta.fields, "history", "actions", "conflicts", "claimed_opportunity"]
        read_only_fields = fields


class QueueItemSerializer(RegistrationSerializer):
    conflicts = ConflictsSerializer(read_only=True)
    same_partner_others = serializers.SerializerMethodField()
    pam = serializers.SerializerMethodField()
    claimed_opportunity = ClaimedOpportunitySerializer(read_only=True, allow_null=True, default=None)

    class Meta(RegistrationSerializer.Meta):
        fields = [*RegistrationSerializer.Meta.fields, "conflicts", "same_partner_others", "pam", "claimed_opportunity"]
        read_only_fields = fields

    def get_same_partner_others(self, r) -> list[str]:
        return [f"DR-{o.pk} ({o.status})" for o in r.same_partner_others]

    def get_pam(self, r) -> str | None:
        return str(r.partner.pam) if r.partner.pam else None


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=4000)


class RejectSerializer(serializers.Serializer):
    reason_code = serializers.ChoiceField(choices=DealRegistration.RejectReason.choices)
    reason = serializers.CharField(max_length=2000)


class WinSerializer(serializers.Serializer):
    final_arr_usd = serializers.DecimalField(max_digits=14, decimal_places=2)
    closed_on = serializers.DateField()


class ExtensionDecisionSerializer(serializers.Serializer):
    grant = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000)


class ImportInSerializer(serializers.Serializer):
    rows = serializers.ListField(child=serializers.DictField(), allow_empty=False, max_length=50_000)


class ImportResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = SalesImport
        fields = ["id", "kind", "rows", "created", "updated", "unchanged", "at"]


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Position of the row, first row = 1")
    field = serializers.CharField()
    message = serializers.CharField()


class ImportErrorsSerializer(serializers.Serializer):
    errors = RowErrorSerializer(many=True)


# --- helpers -------------------------------------------------------------------------------------------

def _detail(request, registration):
    registration.history = list(selectors.history(registration))
    offered = access.actions_for(request.user, registration)
    registration.actions = [action for action in rules.TRANSITIONS if action in offered]
    registration.conflicts = selectors.registration_conflicts(registration) if request.user.staff_role else None
    registration.claimed_opportunity = _claimed(registration) if request.user.staff_role else None
    selectors.review_state([registration])
    return RegistrationDetailSerializer(registration).data


def _claimed(registration):
    return registration.opportunity if registration.already_closed else None


def _conflicts(r):
    return rules.Conflicts(other_partner=r.conflict_other_partner, existing_customer=r.conflict_existing_customer,
                           opportunity=r.conflict_opportunity, other_partner_attached=r.conflict_other_partner_attached)


LIST_PARAMETERS = [
    OpenApiParameter("status", str, enum=DealRegistration.Status.values, required=False),
    OpenApiParameter("q", str, required=False, description="Company, domain, contact or DR-number"),
]


class RegistrationFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=DealRegistration.Status.values, required=False)
    q = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)


# --- registrations -------------------------------------------------------------------------------------

class RegistrationListCreateApi(APIView):
    # The newest 10,000 at most, as the list page (count_is_capped says there are more); also tells the schema
    # the list is paginated.
    pagination_class = CappedPagination
    @extend_schema(parameters=LIST_PARAMETERS, responses={200: RegistrationSerializer(many=True), 400: BAD_INPUT})
    def get(self, request):
        filters = query_filters(request, RegistrationFilters)
        queryset = selectors.search(
            access.registrations_visible_to(request.user).select_related("partner", "opportunity"),
            status=filters.get("status", ""), q=filters["q"],
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        selectors.review_state(page)
        return paginator.get_paginated_response(RegistrationSerializer(page, many=True).data)

    @extend_schema(request=RegistrationInSerializer,
                   responses={201: RegistrationDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN})
    def post(self, request):
        access.require_partner_user(request.user)
        serializer = RegistrationInSerializer(data=request.data)
        valid = serializer.is_valid()
        data = serializer.validated_data if valid else valid_fields(serializer)
        data = dict(data)
        confirmed = data.pop("confirm", False)
        errors = services.registration_errors(partner=request.user.partner, today=timezone.localdate(),
                                              confirmed=confirmed, **data)
        if not valid or errors:
            # One 400 with every field's error: the serializer's (shape) and the rules' (the rest).
            rule_errors = {k: [v] for k, v in _plain(errors).items() if k not in serializer.errors}
            raise serializers.ValidationError({**rule_errors, **serializer.errors})
        registration = services.registration_submit(
            partner=request.user.partner, submitted_by=request.user, confirmed=confirmed, **data
        )
        return Response(_detail(request, registration), status=status.HTTP_201_CREATED)


class ClaimCreateApi(APIView):
    @extend_schema(
        summary="Register a missing sourced opportunity (one the sales system already closed won)",
        description="Name the opportunity by the sales system's id (opportunity_id) or the customer's domain "
                    "(website), and say how your company sourced it. The PAM reviews it like any registration; on "
                    "approval your company is added to the opportunity and the registration is won with the sales "
                    "system's ARR and close date.",
        request=ClaimInSerializer, responses={201: RegistrationDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def post(self, request):
        access.require_partner_user(request.user)
        serializer = ClaimInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = services.registration_claim_submit(
            partner=request.user.partner, submitted_by=request.user, **serializer.validated_data
        )
        return Response(_detail(request, registration), status=status.HTTP_201_CREATED)


class RegistrationDetailApi(APIView):
    @extend_schema(responses={200: RegistrationDetailSerializer, 404: NOT_FOUND})
    def get(self, request, pk):
        return Response(_detail(request, access.registration_for_user(request.user, pk)))


class _RegistrationActionApi(APIView):
    """POST one action of the workflow table (dealreg.rules.TRANSITIONS). Subclasses set ``action``, ``input``
    and ``perform``; who may call it is the side the table gives the action."""

    action: str
    input = ReasonSerializer

    def post(self, request, pk):
        registration = access.registration_for_user(request.user, pk, for_change=rules.TRANSITIONS[self.action].side)
        serializer = self.input(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = self.perform(registration, request.user, serializer.validated_data)
        return Response(_detail(request, registration))


def _action_schema(input_serializer, summary):
    return extend_schema_view(post=extend_schema(
        summary=summary, request=input_serializer,
        responses={200: RegistrationDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    ))


@_action_schema(OptionalReasonSerializer, "Partner withdraws a registration before a decision")
class WithdrawApi(_RegistrationActionApi):
    action = "withdraw"
    input = OptionalReasonSerializer

    def perform(self, registration, user, data):
        return services.registration_withdraw(registration=registration, user=user, reason=data["reason"])


@_action_schema(AnswerSerializer, "Partner answers the PAM's request for information")
class RespondApi(_RegistrationActionApi):
    action = "respond"
    input = AnswerSerializer

    def perform(self, registration, user, data):
        return services.registration_respond(registration=registration, user=user, answer=data["answer"])


@_action_schema(ReasonSerializer, "Partner asks once to extend an approved registration")
class RequestExtensionApi(_RegistrationActionApi):
    action = "request_extension"

    def perform(self, registration, user, data):
        return services.registration_request_extension(registration=registration, user=user, reason=data["reason"])


@_action_schema(ReasonSerializer, "PAM approves")
class ApproveApi(_RegistrationActionApi):
    action = "approve"

    def perform(self, registration, user, data):
        return services.registration_approve(registration=registration, reviewer=user, reason=data["reason"])


@_action_schema(RejectSerializer, "PAM rejects with a reason code and a reason")
class RejectApi(_RegistrationActionApi):
    action = "reject"
    input = RejectSerializer

    def perform(self, registration, user, data):
        return services.registration_reject(registration=registration, reviewer=user, reason_code=data["reason_code"],
                                            reason=data["reason"])


@_action_schema(ReasonSerializer, "PAM asks the partner for information")
class RequestInfoApi(_RegistrationActionApi):
    action = "request_info"

    def perform(self, registration, user, data):
        return services.registration_request_info(registration=registration, reviewer=user, question=data["reason"])


@_action_schema(WinSerializer, "Mark an approved registration won (final ARR, close date)")
class WinApi(_RegistrationActionApi):
    action = "win"
    input = WinSerializer

    def perform(self, registration, user, data):
        return services.registration_win(registration=registration, reviewer=user, **data)


@_action_schema(ReasonSerializer, "Mark an approved registration lost")
class LoseApi(_RegistrationActionApi):
    action = "lose"

    def perform(self, registration, user, data):
        return services.registration_lose(registration=registration, reviewer=user, reason=data["reason"])


@_action_schema(ExtensionDecisionSerializer, "Grant or decline the partner's extension request")
class DecideExtensionApi(_RegistrationActionApi):
    action = "decide_extension"
    input = ExtensionDecisionSerializer

    def perform(self, registration, user, data):
        return services.registration_decide_extension(registration=registration, reviewer=user, **data)


class _QueuePaginator(CappedPaginator):
    # As the queue page (dealreg.views.QueuePaginator): the oldest 1,000 at most, then the filters narrow it.
    CAP = 1_000


class QueuePagination(CappedPagination):
    django_paginator_class = _QueuePaginator


class ReviewQueueApi(generics.ListAPIView):
    """The review queue with the page's filters and ordering (dealreg.filters.ReviewQueueFilter)."""

    serializer_class = QueueItemSerializer
    pagination_class = QueuePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReviewQueueFilter

    @extend_schema(responses={200: QueueItemSerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no rows
            return DealRegistration.objects.none()
        require_staff(self.request.user)
        return access.registrations_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(selectors.queue_rows(self.filter_queryset(self.get_queryset())))
        selectors.review_state(page)
        selectors.attach_same_partner_registrations(page)
        for r in page:
            r.conflicts = _conflicts(r)
            r.claimed_opportunity = _claimed(r)
        return self.get_paginated_response(QueueItemSerializer(page, many=True).data)


# --- sales-system imports ------------------------------------------------------------------------------

class _ImportApi(APIView):
    def post(self, request):
        access.require_importer(request.user)
        serializer = ImportInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = list(enumerate(serializer.validated_data["rows"], start=1))
        try:
            batch = self.service(rows=rows, actor=request.user, source="api")
        except ImportRejected as rejected:
            errors = [{"line": line, "field": field, "message": message} for line, field, message in rejected.row_errors]
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ImportResultSerializer(batch).data)


IMPORT_RESPONSES = {200: ImportResultSerializer, 400: ImportErrorsSerializer, 403: FORBIDDEN}


@extend_schema_view(post=extend_schema(
    summary="Upsert opportunities by external id (all or nothing)", request=ImportInSerializer,
    responses=IMPORT_RESPONSES,
    description="Each row: external_id, account_name, domain, product_line, arr_usd, stage, close_date, "
                "partner_domain (optional), attached_on (optional, with partner_domain).",
))
class OpportunityImportApi(_ImportApi):
    service = staticmethod(services.opportunities_import)


@extend_schema_view(post=extend_schema(
    summary="Upsert known customer accounts by external id (all or nothing)", request=ImportInSerializer,
    responses=IMPORT_RESPONSES, description="Each row: external_id, name, domain.",
))
class CustomerAccountImportApi(_ImportApi):
    service = staticmethod(services.customer_accounts_import)


def _plain(errors):
    """{field: message} from the service's {field: str | ValidationError}; "__all__" becomes non_field_errors."""
    out = {}
    for field, error in errors.items():
        key = "non_field_errors" if field == "__all__" else field
        out[key] = " ".join(error.messages) if hasattr(error, "messages") else str(error)
    return out
