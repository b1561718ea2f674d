"""REST API of the benefits app (/api/v1/): thin callers of access, selectors and services.

Serializers validate shape; services validate rules (their ValidationError becomes a 400 with field
errors in core.api.exception_handler)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from core.formatting import country_choices
from core.query import PageNumberPagination, query_filters
from partners import gates
from program.models import ProgramYear
from tiers.api import ProgramYearSerializer

from . import access, rules, selectors, services
from .badges import badge_links
from .forms import DirectorySearchForm
from .throttles import lead_allowance
from .vocabulary import INDUSTRIES, INDUSTRY_NAMES, PRODUCT_NAMES, PRODUCTS, join_codes, names, split_codes

ERROR = inline_serializer("Error", {"detail": serializers.CharField()})
FIELD_ERRORS = OpenApiResponse(
    description="Field errors: {field: [messages]}", response=OpenApiTypes.OBJECT,
)
R400 = {400: FIELD_ERRORS}
R403 = {403: OpenApiResponse(ERROR, description="Not allowed for your role, or not logged in.")}
R404 = {404: OpenApiResponse(ERROR, description="No such object (or not yours to see).")}


class StrictSerializer(serializers.Serializer):
    """Rejects fields it does not know (e.g. a partner posting ``partner``, ``status`` or ``invited_by``)."""

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return attrs


# Benefits ----------------------------------------------------------------------------------------------


class InvitationSummarySerializer(serializers.Serializer):
    invited_by = serializers.CharField()
    invited_at = serializers.DateTimeField()
    region = serializers.CharField()


class BenefitStatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="benefit.name")
    glossary = serializers.CharField(source="benefit.glossary")
    status = serializers.CharField(help_text="included, invited, invite_only, from_tier, gated or not_offered")
    status_label = serializers.CharField(source="label")
    explanation = serializers.CharField()
    quantity = serializers.IntegerField(allow_null=True)
    quantity_text = serializers.CharField()
    from_tier = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField())
    invitation = InvitationSummarySerializer(allow_null=True)


class BenefitsApi(APIView):
    @extend_schema(
        summary="Your company's benefits this program year",
        responses={200: inline_serializer("PartnerBenefits", {
            "program_year": serializers.IntegerField(allow_null=True), "tier": serializers.CharField(),
            "benefits": BenefitStatusSerializer(many=True)}), **R403},
    )
    def get(self, request):
        partner = access.partner_of_user(request.user)
        overview = selectors.benefit_overview(partner)
        return Response({
            "program_year": overview.program_year.year if overview.program_year else None,
            "tier": partner.tier,
            "benefits": BenefitStatusSerializer([s for _, s in overview.statuses], many=True).data,
        })


# Program years -----------------------------------------------------------------------------------------


class ProgramYearCopyInputSerializer(StrictSerializer):
    source = serializers.SlugRelatedField(slug_field="year", queryset=ProgramYear.objects.all(),
                                          help_text="The year to copy, e.g. 2022")
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="The new year")


class CopiedProgramYearSerializer(ProgramYearSerializer):
    benefit_count = serializers.IntegerField(source="benefits.count", read_only=True,
                                             help_text="Benefits copied with their tier cells")

    class Meta(ProgramYearSerializer.Meta):
        fields = [*ProgramYearSerializer.Meta.fields, "benefit_count"]
        read_only_fields = fields


class ProgramYearCopyApi(APIView):
    @extend_schema(
        request=ProgramYearCopyInputSerializer,
        responses={201: CopiedProgramYearSerializer, **R400, **R403},
        summary="Copy a program year's settings, tier requirements and benefits table to a new year",
        description="Invitations are not copied: they belong to their program year.",
    )
    def post(self, request):
        access.require_program_year_admin(request.user)
        data = ProgramYearCopyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = services.program_year_copy_with_benefits(
            source=data.validated_data["source"], year=data.validated_data["year"], user=request.user)
        return Response(CopiedProgramYearSerializer(new).data, status=status.HTTP_201_CREATED)


# Invitations -------------------------------------------------------------------------------------------


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    partner_id = serializers.IntegerField()
    partner_name = serializers.CharField(source="partner.name")
    partner_tier = serializers.CharField(source="partner.tier")
    benefit = serializers.CharField(source="benefit.code")
    benefit_name = serializers.CharField(source="benefit.name")
    region = serializers.CharField()
    reason = serializers.CharField()
    invited_by = serializers.CharField(source="invited_by.email")
    invited_at = serializers.DateTimeField()
    is_active = serializers.BooleanField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawn_by = serializers.CharField(source="withdrawn_by.email", allow_null=True, default=None)
    withdraw_reason = serializers.CharField()


class InvitationRowSerializer(InvitationSerializer):
    counts_at_current_tier = serializers.BooleanField(
        help_text="Active, and the partner's current tier still has an invite-only cell for the benefit.")


def _invitation_row(invitation, counts):
    data = InvitationSerializer(invitation).data
    data["counts_at_current_tier"] = counts
    return data


class InvitationCreateSerializer(StrictSerializer):
    benefit = serializers.CharField(max_length=60, help_text="Benefit code, e.g. poc-cofunding")
    region = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=2000)


class WithdrawSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class InvitationFilters(serializers.Serializer):
    benefit = serializers.CharField(required=False, max_length=60)
    active = serializers.BooleanField(required=False, default=True)


class InvitationListApi(APIView):
    pagination_class = PageNumberPagination  # also tells the schema the list is paginated
    @extend_schema(
        summary="Who has which invitation (staff: the partners you may see)",
        parameters=[
            OpenApiParameter("benefit", str, description="Benefit code"),
            OpenApiParameter("active", bool, description="Only active invitations (default true)"),
            OpenApiParameter("page", int),
        ],
        responses={200: InvitationRowSerializer(many=True), **R400, **R403, **R404},
    )
    def get(self, request):
        access.require_staff(request.user)
        filters = query_filters(request, InvitationFilters)
        qs = access.invitations_visible_to(request.user).order_by("-invited_at", "-pk")
        if filters["active"]:
            qs = qs.filter(withdrawn_at__isnull=True)
        if filters.get("benefit"):
            qs = qs.filter(benefit__code=filters["benefit"])
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs.values_list("pk", flat=True), request, view=self)
        rows = selectors.invitation_rows(qs.filter(pk__in=list(page)))
        return paginator.get_paginated_response([_invitation_row(inv, counts) for inv, counts in rows])


class PartnerInvitationsApi(APIView):
    @extend_schema(summary="A partner's invitations this program year (staff)",
                   responses={200: InvitationSerializer(many=True), **R403, **R404})
    def get(self, request, partner_id):
        partner = access.partner_for_invitations(request.user, partner_id)
        year = selectors.program_year_for(timezone.localdate())
        history = selectors.partner_invitations(partner, year) if year else []
        return Response(InvitationSerializer(history, many=True).data)

    @extend_schema(
        summary="Invite a partner to an invite-only benefit (its PAM or a program admin)",
        description="Only where the partner's tier has an invite-only cell for the benefit. A region is required "
                    "for POC co-funding (select regions) and optional for every other benefit. The partner is notified.",
        request=InvitationCreateSerializer, responses={201: InvitationSerializer, **R400, **R403, **R404},
    )
    def post(self, request, partner_id):
        partner = access.partner_for_invitations(request.user, partner_id, for_change=True)
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invitation = services.invitation_create(
            actor=request.user, partner=partner, benefit_code=data["benefit"], reason=data["reason"],
            region=data["region"],
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationWithdrawApi(APIView):
    @extend_schema(summary="Withdraw an invitation, with a reason", request=WithdrawSerializer,
                   responses={200: InvitationSerializer, **R400, **R403, **R404})
    def post(self, request, invitation_id):
        invitation = access.invitation_for_user(request.user, invitation_id, for_change=True)
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.invitation_withdraw(
            actor=request.user, invitation=invitation, reason=serializer.validated_data["reason"]
        )
        return Response(InvitationSerializer(invitation).data)


# Showcase listing ----------------------------------------------------------------------------------------


class CountryCodeField(serializers.ChoiceField):
    """An ISO 3166-1 alpha-2 code from django-countries' list, in any case ("gb" is GB); ZZ, UK or EU are refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 country code")
        # DRF fills {input} in with str.format.
        kwargs.setdefault("error_messages", {"invalid_choice": gettext_lazy("{input} is not an ISO 3166-1 country code.")})
        super().__init__(choices=country_choices(), **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data.strip().upper() if isinstance(data, str) else data)



class ListingWriteSerializer(StrictSerializer):
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    services = serializers.CharField(max_length=500, required=False, allow_blank=True)
    industries = serializers.ListField(child=serializers.ChoiceField(choices=INDUSTRIES), required=False,
                                       max_length=len(INDUSTRIES))
    countries_served = serializers.ListField(child=CountryCodeField(), required=False, max_length=100)
    products = serializers.ListField(child=serializers.ChoiceField(choices=PRODUCTS), required=False,
                                     max_length=len(PRODUCTS))
    website = serializers.URLField(max_length=300, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    logo = serializers.FileField(required=False, help_text="PNG or JPEG, at most 1 MB (multipart)")
    remove_logo = serializers.BooleanField(required=False, default=False)

    def validate_countries_served(self, value):
        joined = join_codes(dict.fromkeys(c.upper() for c in value))
        if len(joined) > 500:
            raise serializers.ValidationError(_("Too many countries."))
        return joined

    def validate_industries(self, value):
        return join_codes(dict.fromkeys(value))

    def validate_products(self, value):
        return join_codes(dict.fromkeys(value))


class ListingSerializer(serializers.Serializer):
    description = serializers.CharField()
    services = serializers.CharField()
    industries = serializers.ListField(child=serializers.CharField())
    countries_served = serializers.ListField(child=serializers.CharField())
    products = serializers.ListField(child=serializers.CharField())
    website = serializers.CharField()
    contact_email = serializers.CharField()
    logo_url = serializers.CharField(allow_null=True)
    published = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    blockers = serializers.ListField(child=serializers.CharField())


def _listing_data(request, partner, listing):
    missing, blockers = selectors.listing_state(partner, listing)
    get = (lambda name: getattr(listing, name)) if listing else (lambda name: "")
    return {
        "description": get("description"), "services": get("services"),
        "industries": split_codes(get("industries")), "countries_served": split_codes(get("countries_served")),
        "products": split_codes(get("products")), "website": get("website"), "contact_email": get("contact_email"),
        "logo_url": request.build_absolute_uri(reverse("benefits:showcase_logo")) if listing and listing.logo else None,
        "published": not blockers, "missing": missing, "blockers": blockers,
    }


class ShowcaseApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(summary="Your company's showcase listing draft and what it still needs",
                   responses={200: ListingSerializer, **R403})
    def get(self, request):
        partner = access.partner_of_user(request.user)
        return Response(_listing_data(request, partner, selectors.listing_of(partner)))

    @extend_schema(summary="Edit the showcase listing draft (partner admin)",
                   request={"application/json": ListingWriteSerializer, "multipart/form-data": ListingWriteSerializer},
                   responses={200: ListingSerializer, **R400, **R403})
    def patch(self, request):
        partner = access.listing_partner_for_change(request.user)
        serializer = ListingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        logo, remove_logo = data.pop("logo", None), data.pop("remove_logo", False)
        listing = services.listing_save(actor=request.user, partner=partner, values=data, logo=logo,
                                        remove_logo=remove_logo)
        return Response(_listing_data(request, partner, listing))


# Public directory --------------------------------------------------------------------------------------


class DirectoryEntrySerializer(serializers.Serializer):
    partner_id = serializers.IntegerField()
    name = serializers.CharField()
    tier = serializers.CharField()
    tier_name = serializers.CharField()
    description = serializers.CharField()
    services = serializers.CharField()
    products = serializers.ListField(child=serializers.CharField())
    industries = serializers.ListField(child=serializers.CharField())
    countries_served = serializers.ListField(child=serializers.CharField())
    website = serializers.CharField()
    contact_email = serializers.CharField()
    logo_url = serializers.CharField()
    url = serializers.CharField()


def _public_entry(request, listing):
    partner = listing.partner
    return {
        "partner_id": partner.pk, "name": partner.name, "tier": partner.tier,
        "tier_name": rules.TIER_NAMES.get(partner.tier, ""), "description": listing.description,
        "services": listing.services, "products": names(listing.products, PRODUCT_NAMES),
        "industries": names(listing.industries, INDUSTRY_NAMES), "countries_served": split_codes(listing.countries_served),
        "website": listing.website, "contact_email": listing.contact_email,
        "logo_url": request.build_absolute_uri(reverse("benefits:listing_logo", kwargs={"partner_id": partner.pk})),
        "url": request.build_absolute_uri(reverse("benefits:listing", kwargs={"partner_id": partner.pk})),
    }


class DirectoryApi(APIView):
    permission_classes = gates.PUBLIC
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        operation_id="directory_search",
        summary="The public partner directory (published listings, highest tier first, 20 a page)",
        description="No total count: ``next`` is null on the last page.",
        parameters=[OpenApiParameter("q", str, description="Text in name, description or services"),
                    OpenApiParameter("country", str, description="Two-letter country code"),
                    # Empty means any, as the directory page's "Any ..." choice sends it.
                    OpenApiParameter("product", str, enum=["", *(c for c, _ in PRODUCTS)]),
                    OpenApiParameter("industry", str, enum=["", *(c for c, _ in INDUSTRIES)]),
                    OpenApiParameter("tier", str, enum=["", *rules.PUBLIC_TIERS]),
                    OpenApiParameter("page", int, description="1 to 500")],
        responses={200: inline_serializer("DirectoryPage", {
            "page": serializers.IntegerField(), "next": serializers.CharField(allow_null=True),
            "previous": serializers.CharField(allow_null=True),
            "results": DirectoryEntrySerializer(many=True)}), **R400},
        auth=[],
    )
    def get(self, request):
        form = DirectorySearchForm(request.query_params)
        if not form.is_valid():
            errors = {field: [e["message"] for e in errs] for field, errs in form.errors.get_json_data().items()}
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        page = selectors.directory_page(page=form.cleaned_data["page"] or 1, **form.filters())

        def link(number):
            return replace_query_param(request.build_absolute_uri(), "page", number)

        return Response({
            "page": page.number,
            "next": link(page.number + 1) if page.has_next else None,
            "previous": link(page.number - 1) if page.has_previous else None,
            "results": [_public_entry(request, x) for x in page.entries],
        })


class DirectoryListingApi(APIView):
    permission_classes = gates.PUBLIC

    @extend_schema(operation_id="directory_listing", summary="One published listing",
                   responses={200: DirectoryEntrySerializer, **R404}, auth=[])
    def get(self, request, partner_id):
        listing = selectors.published_listing(partner_id)
        if listing is None:
            return Response({"detail": _("No such listing.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(_public_entry(request, listing))


# Directory leads -----------------------------------------------------------------------------------------


class LeadWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    company = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    country = CountryCodeField(required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=4000)


class LeadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()
    company = serializers.CharField()
    country = serializers.CharField()
    message = serializers.CharField()
    created_at = serializers.DateTimeField()


class DirectoryLeadCreateApi(APIView):
    """Anyone may write to the partner of a published listing, a few times an hour per address
    (benefits.throttles, shared with the listing page). The answer names no one's address."""

    permission_classes = gates.PUBLIC
    throttle_classes = [AnonRateThrottle]

    @extend_schema(operation_id="directory_lead_create", summary="Send a message to the partner of a published listing",
                   request=LeadWriteSerializer,
                   responses={201: inline_serializer("LeadSent", {"detail": serializers.CharField()}), **R400, **R404,
                              429: OpenApiResponse(ERROR, description="Too many messages from this address.")},
                   auth=[])
    def post(self, request, partner_id):
        listing = selectors.published_listing(partner_id)
        if listing is None:
            return Response({"detail": _("No such listing.")}, status=status.HTTP_404_NOT_FOUND)
        serializer = LeadWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        allowed, wait = lead_allowance(request)
        if not allowed:
            raise Throttled(wait=wait)
        services.lead_create(listing=listing, **serializer.validated_data)
        return Response({"detail": _("Your message was sent to %(partner)s. They will reply by email.") % {
            "partner": listing.partner.name}}, status=status.HTTP_201_CREATED)


class LeadListApi(APIView):
    """The messages visitors sent from the partner's listing (its admins and members), newest first."""

    pagination_class = PageNumberPagination  # also tells the schema the list is paginated

    @extend_schema(operation_id="directory_leads", summary="Your company's directory leads",
                   responses={200: LeadSerializer(many=True), **R403})
    def get(self, request):
        partner = access.partner_of_user(request.user)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.leads_of(partner), request, view=self)
        return paginator.get_paginated_response(LeadSerializer(page, many=True).data)


# Tier badge ----------------------------------------------------------------------------------------------


class BadgeApi(APIView):
    @extend_schema(
        summary="Your company's tier badge: whether it is valid, its URLs and the HTML snippet",
        responses={200: inline_serializer("Badge", {
            "valid": serializers.BooleanField(), "tier": serializers.CharField(),
            "svg_url": serializers.CharField(allow_null=True), "verify_url": serializers.CharField(allow_null=True),
            "snippet": serializers.CharField(allow_null=True)}), **R403},
    )
    def get(self, request):
        partner = access.partner_of_user(request.user)
        valid = rules.badge_valid(tier=partner.tier, is_active=partner.is_active)
        links = badge_links(request, partner) if valid else {"svg_url": None, "verify_url": None, "snippet": None}
        return Response({"valid": valid, "tier": partner.tier, **links})
