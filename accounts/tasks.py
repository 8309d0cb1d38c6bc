"""Background work for accounts. Tasks are enqueued after commit and are
safe to run twice."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
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
def notification_email_send(*, user_id: int) -> None:
    """Tell someone there is something new, without saying what: no
    content, no names, nothing a shared inbox should not show."""
    from samenspraak.notify import notify

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Er is iets nieuws voor u in Samenspraak")
    notify(user=user, subject=subject, template="accounts/email/notification.txt")
