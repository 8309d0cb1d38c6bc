from django.urls import path

from appointments.consumers import CallConsumer, GroupCallConsumer

websocket_urlpatterns = [
    path("ws/beeldbellen/<uuid:public_id>/", CallConsumer.as_asgi()),
    path("ws/groepsbellen/<uuid:public_id>/", GroupCallConsumer.as_asgi()),
]
