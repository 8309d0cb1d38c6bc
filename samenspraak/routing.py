from django.urls import path

from samenspraak.attention import AttentionConsumer

websocket_urlpatterns = [
    path("ws/aandacht/", AttentionConsumer.as_asgi()),
]
