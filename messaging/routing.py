from django.urls import path

from messaging.consumers import ConversationConsumer

websocket_urlpatterns = [
    path("ws/gesprekken/<uuid:public_id>/", ConversationConsumer.as_asgi()),
]
