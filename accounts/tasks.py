"""Background work for accounts. Tasks are enqueued after commit and are
safe to run twice."""

from __future__ import annotations

import threading
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import send_mail
from django.db import connections
from django.http import HttpRequest
from django.tasks import task, task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User


@task
def invitation_email_send(*, user_id: int, token: str) -> None:
    """Mail the invitation link. Only the first name and the organisation's
    name are in the mail: no case details, nothing about the support."""
    user = User.objects.select_related("organisation").filter(pk=user_id, is_active=False).first()
    if user is None or not user.email:
        return  # activated or removed in the meantime: nothing to send
    # In the query string, which the access logs leave out (gunicorn.conf.py).
    url = settings.SITE_URL + reverse("accounts:accept_invitation") + "?" + urlencode({"code": token})
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "accounts/email/invitation.txt",
            {"user": user, "url": url, "organisation": user.organisation, "days": settings.INVITATION_VALID_DAYS},
        )
        send_mail(_("Uw uitnodiging voor Samenspraak"), body, None, [user.email])


@task
def notification_email_send(*, user_id: int, event: str | None = None) -> None:
    """Tell someone there is something new, without saying what: no
    content, no names, nothing a shared inbox should not show. ``event``
    is the kind of news, for the person's preferences
    (``samenspraak.notify``)."""
    from samenspraak.notify import notify

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Er is iets nieuws voor u in Samenspraak")
    notify(user=user, subject=subject, template="accounts/email/notification.txt", event=event)


class SiteRequest(HttpRequest):
    """A request as if made to ``SITE_URL``, for mail that allauth builds
    from a request outside one: the reset link and the site name then come
    from our own setting, never from a Host header someone sent."""

    def __init__(self) -> None:
        super().__init__()
        site = urlsplit(settings.SITE_URL)
        self.site_scheme = site.scheme or "https"
        default_port = "443" if self.site_scheme == "https" else "80"
        self.META = {
            "HTTP_HOST": site.netloc,
            "SERVER_NAME": site.hostname or "",
            "SERVER_PORT": str(site.port or default_port),
        }
        self.path = self.path_info = "/"
        self.user = AnonymousUser()

    def _get_scheme(self) -> str:
        return self.site_scheme


@task
def password_reset_email_send(*, email: str) -> None:
    """allauth's reset mail (link and text unchanged) for each active account
    with this address; nothing for an unknown address. Runs after the reset
    page has answered, so the answer takes as long for a known as for an
    unknown address. Safe to run twice: a second mail holds a second valid
    link, nothing else."""
    from allauth.account.forms import default_token_generator
    from allauth.account.internal.flows.password_reset import request_password_reset
    from allauth.account.internal.userkit import filter_users_by_email
    from allauth.core import context

    users = filter_users_by_email(email, is_active=True, prefer_verified=True, for_login=True)
    if not users:
        return  # ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS is off: nothing is sent
    request = SiteRequest()
    with context.request_context(request), translation.override(settings.LANGUAGE_CODE):
        request_password_reset(request, email, users, default_token_generator)


def password_reset_email_enqueue(*, email: str) -> None:
    """Queue the reset mail. The in-process backend would run it inside the
    request (and make a known address answer slower than an unknown one),
    so there it runs in a short-lived thread of its own instead."""
    if not isinstance(task_backends["default"], ImmediateBackend):
        password_reset_email_send.enqueue(email=email)
        return

    def send() -> None:
        try:
            password_reset_email_send.call(email=email)
        finally:
            # This thread's own connections; the request's are untouched.
            connections.close_all()

    threading.Thread(target=send, name="password-reset-mail").start()
