from django.urls import path

from appointments.consumers import CallConsumer

websocket_urlpatterns = [
    path("ws/beeldbellen/<uuid:public_id>/", CallConsumer.as_asgi()),
]
