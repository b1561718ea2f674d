"""REST API of the partners app. Thin: serializers check shape, access.py decides who, services write."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from activity import access as activity_access
from activity import selectors as activity_selectors
from activity.api import CappedPagination
from activity.models import AuditEntry

from . import access, api_tokens, gates, roster, selectors, services
from .filters import AuditFilter, PartnerFilter, PersonFilter, sorted_by_count
from .models import Agreement, Completion, Course, Invitation, Partner, PartnerRole, Person, User
from .views import client_ip

BAD_REQUEST = OpenApiResponse(description="Invalid input: field errors, e.g. {\"email\": [\"...\"]}.")
FORBIDDEN = OpenApiResponse(description="Not logged in, or your role may not do this.")
NOT_FOUND = OpenApiResponse(description="No such object among those you may see.")
ROW_ERRORS = OpenApiResponse(
    # Either field errors of the request's shape, or {"rows": [{"row", "field", "message"}, ...]}.
    response=OpenApiTypes.OBJECT,
    description="Nothing was written. Field errors of the request, or under `rows` every bad row with its "
    "position (1-based), field and reason.",
)


def _partner_of(user):
    access.require_partner_user(user)
    return user.partner


# --- Agreements ---------------------------------------------------------------------------------------

class AgreementSerializer(serializers.ModelSerializer):
    accepted = serializers.SerializerMethodField()
    accepted_at = serializers.SerializerMethodField()
    accepted_by = serializers.SerializerMethodField()
    may_accept = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["id", "kind", "version", "title", "published_on", "body", "accepted", "accepted_at", "accepted_by",
                  "may_accept"]

    def _acceptance(self, obj):
        return self.context["acceptances"].get(obj.pk)

    def get_accepted(self, obj) -> bool:
        return self._acceptance(obj) is not None

    def get_accepted_at(self, obj) -> str | None:
        acceptance = self._acceptance(obj)
        return acceptance.accepted_at.isoformat() if acceptance else None

    def get_accepted_by(self, obj) -> str | None:
        acceptance = self._acceptance(obj)
        return acceptance.accepted_by.email if acceptance else None

    def get_may_accept(self, obj) -> bool:
        return (self._acceptance(obj) is None and self.context["user"].is_partner_admin
                and selectors.may_accept(self.context["partner"], obj))


class AgreementListApi(APIView):
    agreement_gate_open = True  # a partner user must reach the agreements to accept them

    @extend_schema(responses={200: AgreementSerializer(many=True), 403: FORBIDDEN})
    def get(self, request):
        partner = _partner_of(request.user)
        acceptances = {a.agreement_id: a for a in partner.acceptances.select_related("accepted_by")}
        context = {"acceptances": acceptances, "partner": partner, "user": request.user}
        return Response(AgreementSerializer(selectors.current_agreements(), many=True, context=context).data)


class AgreementAcceptApi(APIView):
    agreement_gate_open = True

    @extend_schema(request=None, responses={201: AgreementSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk):
        partner = _partner_of(request.user)
        access.require_partner_admin(request.user)
        agreement = get_object_or_404(Agreement, pk=pk, is_current=True)
        services.agreement_accept(partner=partner, agreement=agreement, user=request.user, ip_address=client_ip(request))
        acceptances = {a.agreement_id: a for a in partner.acceptances.select_related("accepted_by")}
        context = {"acceptances": acceptances, "partner": partner, "user": request.user}
        return Response(AgreementSerializer(agreement, context=context).data, status=status.HTTP_201_CREATED)


# --- Partners -------------------------------------------------------------------------------------------

class StaffMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name"]


class PartnerSerializer(serializers.ModelSerializer):
    pam = StaffMemberSerializer(read_only=True, allow_null=True)  # most partners have neither
    psa = StaffMemberSerializer(read_only=True, allow_null=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = ["id", "name", "website", "domain", "country", "partner_type", "tier", "tier_since", "pam", "psa",
                  "counts"]

    def get_counts(self, obj) -> dict:
        return {"people": obj.people_count, "certified": obj.certified_count, "trained": obj.trained_count,
                "users": obj.user_count}


def _partners_with_counts(qs):
    return selectors.with_roster_counts(qs.select_related("pam", "psa"), as_of=timezone.localdate())


class MyPartnerApi(APIView):
    @extend_schema(responses={200: PartnerSerializer, 403: FORBIDDEN})
    def get(self, request):
        partner = _partner_of(request.user)
        return Response(PartnerSerializer(_partners_with_counts(Partner.objects.filter(pk=partner.pk)).get()).data)


class PartnerListApi(generics.ListAPIView):
    """The staff partner list: the same filters and ordering as the page (partners.filters.PartnerFilter)."""

    serializer_class = PartnerSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PartnerFilter
    pagination_class = CappedPagination

    @extend_schema(responses={200: PartnerSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no rows
            return Partner.objects.none()
        access.require_staff(self.request.user)
        partners = access.partners_visible_to(self.request.user).select_related("pam", "psa").order_by("name", "pk")
        # Counting every partner's roster costs seconds at a million partners: only a sort by a count needs
        # it; otherwise the page's rows are counted once paged (paginate_queryset).
        if sorted_by_count(self.request.query_params.get("o")):
            partners = selectors.with_roster_counts(partners, as_of=timezone.localdate())
        return partners

    def paginate_queryset(self, queryset):
        if self.request.query_params.get("q", "").strip():  # as the page: a text search counts up to 1,000
            self.paginator.django_paginator_class = selectors.PartnerSearchPaginator
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.with_counts(list(page), as_of=timezone.localdate())


class PartnerDetailApi(APIView):
    @extend_schema(responses={200: PartnerSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, pk):
        partner = access.partner_for_user(request.user, pk)
        return Response(PartnerSerializer(_partners_with_counts(Partner.objects.filter(pk=partner.pk)).get()).data)


class TeamSerializer(serializers.Serializer):
    pam = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    psa = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)


class PartnerTeamApi(APIView):
    @extend_schema(request=TeamSerializer,
                   responses={200: PartnerSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk):
        access.require_program_admin(request.user)
        partner = access.partner_for_user(request.user, pk, for_change=True)
        serializer = TeamSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.partner_assign_team(partner=partner, actor=request.user, pam=data.get("pam", partner.pam),
                                     psa=data.get("psa", partner.psa))
        return Response(PartnerSerializer(_partners_with_counts(Partner.objects.filter(pk=partner.pk)).get()).data)


# --- Colleagues and invitations ----------------------------------------------------------------------

class ColleagueInvitationSerializer(serializers.ModelSerializer):
    invited_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    confirm = serializers.BooleanField(write_only=True, required=False, default=False,
                                       help_text="Send true to invite an address outside the company's domain.")

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "invited_by", "created_at", "expires_at", "confirm"]
        read_only_fields = ["id", "invited_by", "created_at", "expires_at"]
        # Optional as the schema says: a colleague is invited as a member unless another role is given.
        extra_kwargs = {"email": {"max_length": 254}, "role": {"default": PartnerRole.MEMBER}}


class InvitationListApi(APIView):
    @extend_schema(responses={200: ColleagueInvitationSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, partner_id):
        partner = access.partner_for_user(request.user, partner_id, for_change=True)
        return Response(ColleagueInvitationSerializer(selectors.open_invitations(partner, now=timezone.now()), many=True).data)

    @extend_schema(request=ColleagueInvitationSerializer,
                   responses={201: ColleagueInvitationSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, partner_id):
        partner = access.partner_for_user(request.user, partner_id, for_change=True)
        serializer = ColleagueInvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation, _token = services.invitation_create(
            partner=partner, email=serializer.validated_data["email"], role=serializer.validated_data["role"],
            invited_by=request.user, confirmed=serializer.validated_data.get("confirm", False),
        )
        return Response(ColleagueInvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationRevokeApi(APIView):
    @extend_schema(request=None, responses={200: ColleagueInvitationSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk):
        invitation = access.invitation_for_user(request.user, pk)
        return Response(ColleagueInvitationSerializer(services.invitation_revoke(invitation=invitation, actor=request.user)).data)


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=100)
    full_name = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})


class ColleagueSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(source="partner_role", choices=PartnerRole.choices, read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "date_joined"]


class InvitationAcceptApi(APIView):
    """The invitee, not logged in, joins with the token from the emailed link."""

    permission_classes = gates.PUBLIC
    throttle_classes = [AnonRateThrottle]

    @extend_schema(request=InvitationAcceptSerializer, responses={201: ColleagueSerializer, 400: BAD_REQUEST,
                                                                  403: FORBIDDEN})
    def post(self, request):
        if request.user.is_authenticated:
            raise PermissionDenied(_("You are logged in already: log out to accept an invitation."))
        serializer = InvitationAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.invitation_accept(**serializer.validated_data)
        return Response(ColleagueSerializer(user).data, status=status.HTTP_201_CREATED)


class ColleagueListApi(APIView):
    @extend_schema(responses={200: ColleagueSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND})
    def get(self, request, partner_id):
        partner = access.partner_for_user(request.user, partner_id)
        return Response(ColleagueSerializer(selectors.colleagues(partner), many=True).data)


class ColleagueRemoveApi(APIView):
    @extend_schema(request=None, responses={200: ColleagueSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk):
        colleague = access.colleague_for_user(request.user, pk, for_change=True)
        return Response(ColleagueSerializer(services.colleague_remove(colleague=colleague, actor=request.user)).data)


# --- People roster ------------------------------------------------------------------------------------

class CompletionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Completion
        fields = ["id", "course", "completed_on", "expires_on"]


class PersonSerializer(serializers.ModelSerializer):
    completions = CompletionSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "email", "job_role", "completions"]
        read_only_fields = ["id", "completions"]
        extra_kwargs = {"email": {"max_length": 254}, "job_role": {"required": True}}


class PersonListApi(generics.ListCreateAPIView):
    serializer_class = PersonSerializer
    pagination_class = CappedPagination  # as the roster page: a million people count as 10,000+

    def get_queryset(self):
        params = self.request.query_params
        if params.get("expiring", "") not in ("", "60"):
            raise serializers.ValidationError({"expiring": [_("Send 60, or leave it out for everyone.")]})
        return selectors.roster(_partner_of(self.request.user), q=params.get("q", "")[:100],
                                expiring_within=60 if params.get("expiring") == "60" else None,
                                today=timezone.localdate())

    @extend_schema(responses={200: PersonSerializer(many=True), 403: FORBIDDEN}, parameters=[
        OpenApiParameter("q", str, description="Search names and emails"),
        OpenApiParameter("expiring", str, enum=["", "60"], description="60: only people with a completion "
                                                                       "expiring within 60 days; empty: everyone"),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PersonSerializer, responses={201: PersonSerializer, 400: BAD_REQUEST, 403: FORBIDDEN})
    def post(self, request, *args, **kwargs):
        partner = _partner_of(request.user)
        access.require_partner_manager(request.user, partner)
        serializer = PersonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.person_create(partner=partner, actor=request.user, **serializer.validated_data)
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)


class StaffPersonSerializer(PersonSerializer):
    partner = serializers.IntegerField(source="partner_id", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = ["id", "partner", "partner_name", "name", "email", "job_role", "completions"]
        read_only_fields = fields


class StaffPersonListApi(generics.ListAPIView):
    """Staff: people on the rosters of the partners they see, with the people page's filters
    (partners.filters.PersonFilter)."""

    serializer_class = StaffPersonSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PersonFilter
    pagination_class = CappedPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no rows
            return Person.objects.none()
        access.require_staff(self.request.user)
        return access.people_visible_to(self.request.user).prefetch_related(
            Prefetch("completions", queryset=Completion.objects.order_by("course", "-completed_on")))

    @extend_schema(responses={200: StaffPersonSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PersonMoveSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, help_text="The person on this partner's roster.")
    to_domain = serializers.CharField(max_length=253, help_text="Web domain of the partner the person moves to.")
    reason = serializers.CharField(max_length=2000)


class PersonMovedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()
    partner = serializers.IntegerField(source="partner_id")
    completions = serializers.IntegerField(help_text="Course completions that moved with the person.")


class PersonMoveApi(APIView):
    @extend_schema(summary="Move a person, with their course completions, to another partner (program admins)",
                   request=PersonMoveSerializer,
                   responses={200: PersonMovedSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk):
        access.require_program_admin(request.user)
        partner = access.partner_for_user(request.user, pk, for_change=True)
        serializer = PersonMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.person_move(partner=partner, actor=request.user, **serializer.validated_data)
        moved = Completion.objects.filter(person=person, partner_id=person.partner_id).count()
        return Response(PersonMovedSerializer({
            "id": person.pk, "name": person.name, "email": person.email, "partner_id": person.partner_id,
            "completions": moved,
        }).data)


class CompletionRowSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    job_role = serializers.CharField(max_length=20, required=False, allow_blank=True)
    course = serializers.ChoiceField(choices=Course.choices)
    completed_on = serializers.CharField(max_length=20)
    expires_on = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True)


class CompletionUpsertSerializer(serializers.Serializer):
    rows = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=roster.MAX_ROWS)


class CompletionUpsertApi(APIView):
    """Upsert completions keyed by (person email, course, completed_on), all or nothing.

    A row for someone not on the roster adds them (then ``name`` is required).
    """

    @extend_schema(
        request=inline_serializer("CompletionUpsert", {"rows": CompletionRowSerializer(many=True)}),
        responses={200: inline_serializer("CompletionUpsertResult", {
            "people_created": serializers.IntegerField(), "people_updated": serializers.IntegerField(),
            "completions_created": serializers.IntegerField(), "completions_updated": serializers.IntegerField()}),
            400: ROW_ERRORS, 403: FORBIDDEN},
    )
    def post(self, request):
        partner = _partner_of(request.user)
        access.require_partner_manager(request.user, partner)
        serializer = CompletionUpsertSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        raw_rows, errors = roster.api_rows(serializer.validated_data["rows"])
        try:
            counts = services.roster_import(partner=partner, raw_rows=raw_rows, actor=request.user, source="api",
                                            shape_errors=errors)
        except roster.RosterImportError as error:
            return Response({"rows": [e.as_dict() for e in error.row_errors]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(counts)


# --- Audit trail ----------------------------------------------------------------------------------------

class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor", "partner_id", "action", "object_type", "object_id", "object_repr", "before",
                  "after", "reason"]


class AuditPagination(CappedPagination):
    page_size = 50
    django_paginator_class = activity_selectors.AuditPaginator


class AuditListApi(generics.ListAPIView):
    """The audit trail with the page's filters (partners.filters.AuditFilter)."""

    serializer_class = AuditEntrySerializer
    pagination_class = AuditPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditFilter

    @extend_schema(responses={200: AuditEntrySerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no rows
            return AuditEntry.objects.none()
        return activity_access.audit_entries_visible_to(self.request.user)




# --- API tokens (one's own) ---------------------------------------------------------------------------

class ApiTokenSerializer(serializers.Serializer):
    id = serializers.SerializerMethodField()
    starts_with = serializers.SerializerMethodField()
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()

    def get_id(self, token) -> str:
        return api_tokens.public_id(token)

    def get_starts_with(self, token) -> str:
        return token.token_key[:8]


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.SerializerMethodField(help_text="The token itself: shown only in this answer.")

    def get_token(self, row) -> str:
        return self.context["token"]


class ApiTokenListApi(APIView):
    @extend_schema(summary="Your API tokens that have not expired, newest first",
                   responses={200: ApiTokenSerializer(many=True), 403: FORBIDDEN})
    def get(self, request):
        return Response(ApiTokenSerializer(api_tokens.api_tokens_of(request.user), many=True).data)

    @extend_schema(summary="Make a token for yourself (its value is in this answer only)", request=None,
                   responses={201: NewApiTokenSerializer, 400: BAD_REQUEST, 403: FORBIDDEN})
    def post(self, request):
        row, token = api_tokens.api_token_create(user=request.user)
        return Response(NewApiTokenSerializer(row, context={"token": token}).data, status=status.HTTP_201_CREATED)


class ApiTokenRevokeApi(APIView):
    @extend_schema(summary="Revoke one of your tokens", request=None,
                   responses={200: ApiTokenSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, token_id):
        token = api_tokens.api_token_for_user(request.user, token_id)
        return Response(ApiTokenSerializer(api_tokens.api_token_revoke(token=token, actor=request.user)).data)
