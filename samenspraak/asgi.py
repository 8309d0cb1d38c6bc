"""ASGI entry point: WebSocket routes (and pages, for the one-process dev
server; production serves pages through WSGI workers)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenspraak.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from appointments.routing import websocket_urlpatterns as appointment_sockets  # noqa: E402
from messaging.routing import websocket_urlpatterns as messaging_sockets  # noqa: E402
from samenspraak.routing import websocket_urlpatterns as core_sockets  # noqa: E402
from samenspraak.websocket_origin import WebSocketOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": WebSocketOriginValidator(
            AuthMiddlewareStack(URLRouter(core_sockets + messaging_sockets + appointment_sockets))
        ),
    }
)
