"""REST API of the activity app: the user's own notifications."""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.query import PageNumberPagination, query_filters

from . import access, selectors, services
from .models import Notification

NOT_FOUND = OpenApiResponse(description=gettext_lazy("Not one of your notifications."))
BAD_REQUEST = OpenApiResponse(description=gettext_lazy("Invalid query values: field errors."))
FORBIDDEN = OpenApiResponse(description=gettext_lazy("Not logged in."))


class NotificationSerializer(serializers.ModelSerializer):
    # In the request's language (Accept-Language or the user's choice), as the page shows them.
    subject = serializers.CharField(source="display_subject", read_only=True)
    body = serializers.CharField(source="display_body", read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "created_at", "kind", "subject", "body", "url", "is_read", "read_at"]

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationFilters(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)


class CappedPagination(PageNumberPagination):
    """Pages over the newest CAP rows at most: ``count`` stops at CAP and ``count_is_capped`` says there are
    more. An exact count of a million rows costs on every request what the page itself does not."""

    django_paginator_class = selectors.CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_is_capped"] = self.page.paginator.count.capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count"]["description"] = f"How many there are, at most {self.django_paginator_class.CAP:,}"
        schema["properties"]["count_is_capped"] = {
            "type": "boolean", "description": "There are more than the count says; the newest are paged"}
        schema["required"].append("count_is_capped")
        return schema


class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationSerializer
    pagination_class = CappedPagination

    @extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description=gettext_lazy("Only unread notifications"))],
        responses={200: NotificationSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = access.notifications_visible_to(self.request.user)
        if query_filters(self.request, NotificationFilters)["unread"]:
            qs = qs.filter(read_at__isnull=True)
        return qs


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses={200: MarkedSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, pk):
        notification = access.notification_for_user(request.user, pk)
        return Response({"marked": services.notification_mark_read(user=request.user, notification_id=notification.pk)})


class NotificationReadAllApi(APIView):
    @extend_schema(request=None, responses={200: MarkedSerializer, 403: FORBIDDEN})
    def post(self, request):
        return Response({"marked": services.notification_mark_read(user=request.user)})


class UnreadCountApi(APIView):
    @extend_schema(responses={200: inline_serializer("UnreadCount", {
        "unread": serializers.IntegerField(help_text=f"How many are unread, at most {selectors.UNREAD_API_CAP:,}"),
        "unread_is_capped": serializers.BooleanField(help_text="There are more unread than the count says"),
    }), 403: FORBIDDEN})
    def get(self, request):
        unread = selectors.unread_count(request.user, cap=selectors.UNREAD_API_CAP)
        return Response({"unread": int(unread), "unread_is_capped": unread.capped})
