"""Start the test provider: ``python -m accounts.tests.oidc_provider.serve
<port> <config.json>`` with OIDC_PROVIDER_DB and OIDC_PROVIDER_RSA_KEY set.

The config holds the client (id, secret, redirect URI) and the users
(username, password, sub, acr, bsn). Serves on 127.0.0.1 until killed.
"""

import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main() -> None:
    port = int(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as file:
        config = json.load(file)
    os.environ["DJANGO_SETTINGS_MODULE"] = "accounts.tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for person in config["users"]:
        User.objects.create_user(
            person["username"],
            password=person["password"],
            email=person["sub"],
            first_name=person.get("acr", ""),
            last_name=person.get("bsn", ""),
        )
    client = config["client"]
    Application.objects.create(
        name="Samenspraak",
        client_id=client["id"],
        client_secret=client["secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uris"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", port, get_wsgi_application(), ThreadingServer, QuietHandler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
