"""GET /api/v1/partner/home/: the partner home (build_portal/partner_home.py) for programs: the same reads,
the same forecasts, the same next steps, with display strings in the one money and date format."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.formatting import day, money
from partners.access import require_partner_user

from . import partner_home

FORBIDDEN = OpenApiResponse(description="Not logged in, or not a partner user.")


class StepSerializer(serializers.Serializer):
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField()
    action = serializers.CharField()
    tone = serializers.CharField()
    people = serializers.ListField(child=serializers.CharField())


class ProgressRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    have = serializers.DecimalField(max_digits=16, decimal_places=2)
    need = serializers.DecimalField(max_digits=16, decimal_places=2)
    met = serializers.BooleanField()
    percent = serializers.IntegerField()


class LapseSerializer(serializers.Serializer):
    person = serializers.CharField(source="person_name")
    course = serializers.CharField()
    expires_on = serializers.DateField()


class RiskSerializer(serializers.Serializer):
    recalculation_on = serializers.DateField()
    renew_by = serializers.DateField()
    tier_if_renewed = serializers.CharField()
    tier_otherwise = serializers.CharField()
    lapses = LapseSerializer(many=True)
    sentences = serializers.ListField(child=serializers.CharField())


class PipelineStepSerializer(serializers.Serializer):
    registration = serializers.IntegerField(source="registration_id")
    reference = serializers.CharField()
    estimated_arr_usd = serializers.DecimalField(max_digits=16, decimal_places=2)
    reaches_tier = serializers.CharField()
    revenue_then = serializers.DecimalField(max_digits=16, decimal_places=2)
    threshold = serializers.DecimalField(max_digits=16, decimal_places=2)
    sentence = serializers.CharField()


class DealStatusSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    arr = serializers.DecimalField(max_digits=16, decimal_places=2)
    arr_display = serializers.CharField()


class PartnerHomeSerializer(serializers.Serializer):
    partner = serializers.IntegerField()
    partner_name = serializers.CharField()
    tier = serializers.CharField()
    as_of = serializers.DateField()
    as_of_display = serializers.CharField()
    next_tier = serializers.CharField(allow_null=True)
    progress = ProgressRowSerializer(many=True)
    next_steps = StepSerializer(many=True)
    tier_at_risk = RiskSerializer(allow_null=True)
    pipeline_to_tier = PipelineStepSerializer(many=True)
    deals_by_status = DealStatusSerializer(many=True)
    pipeline_count = serializers.IntegerField()
    pipeline_arr_usd = serializers.DecimalField(max_digits=16, decimal_places=2)
    pipeline_arr_display = serializers.CharField()
    mdf = inline_serializer("PartnerHomeMdf", {
        "eligible": serializers.BooleanField(), "reason": serializers.CharField(),
        "allocated": serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True),
        "remaining": serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True),
        "remaining_display": serializers.CharField(),
    })
    pam = inline_serializer("PartnerHomePam", {"name": serializers.CharField(), "email": serializers.EmailField()},
                            allow_null=True)
    partner_admins = serializers.ListField(child=serializers.CharField())


def _payload(home):
    s, f = home["s"], home["figures"]
    pam = home["partner"].pam
    return {
        "partner": home["partner"].pk, "partner_name": home["partner"].name, "tier": home["partner"].tier,
        "as_of": home["today"], "as_of_display": day(home["today"]),
        "next_tier": s["next_tier"].level if s["next_tier"] else None, "progress": s["progress"],
        "next_steps": home["steps"], "tier_at_risk": home["risk"] and {
            "recalculation_on": home["risk"].recalculation_on, "renew_by": home["risk"].renew_by,
            "tier_if_renewed": home["risk"].tier_if_renewed, "tier_otherwise": home["risk"].tier_otherwise,
            "lapses": home["risk"].lapses, "sentences": home["risk"].sentences(),
        },
        "pipeline_to_tier": [{**step.__dict__, "sentence": step.sentence()} for step in home["pipeline"]],
        "deals_by_status": [{**row, "arr_display": money(row["arr"])} for row in home["deals"]["by_status"]],
        "pipeline_count": home["deals"]["pipeline_count"], "pipeline_arr_usd": home["deals"]["pipeline_arr"],
        "pipeline_arr_display": money(home["deals"]["pipeline_arr"]),
        "mdf": {"eligible": home["mdf"].eligible, "reason": home["mdf"].reason,
                "allocated": f.allocated if f else None, "remaining": f.remaining if f else None,
                "remaining_display": money(f.remaining) if f else ""},
        "pam": {"name": str(pam), "email": pam.email} if pam else None,
        "partner_admins": [str(a) for a in home["admins"]],
    }


class PartnerHomeApi(APIView):
    @extend_schema(responses={200: PartnerHomeSerializer, 403: FORBIDDEN},
                   summary="Your company's home: tier progress, next steps, forecasts, deals, MDF, PAM")
    def get(self, request):
        require_partner_user(request.user)
        home = partner_home.partner_home(request.user.partner, user=request.user, today=timezone.localdate())
        return Response(PartnerHomeSerializer(_payload(home)).data)
