from django.urls import path

from . import api

urlpatterns = [
    path("notifications/", api.NotificationListApi.as_view(), name="notification_list"),
    path("notifications/unread-count/", api.UnreadCountApi.as_view(), name="notification_unread_count"),
    path("notifications/<int:pk>/read/", api.NotificationReadApi.as_view(), name="notification_read"),
    path("notifications/read-all/", api.NotificationReadAllApi.as_view(), name="notifications_read_all"),
]
