"""The daily diary reminder: sent through the person's notification
channels (``samenspraak.notify``, event ``diary_reminder``) at the time
they picked, at most once a day, without anything from the diary in it.
``manage.py send_diary_reminders`` runs this every few minutes (cron)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role
from diary.models import DiaryReminder
from samenspraak.notify import notify

EVENT = "diary_reminder"


def diary_reminders_send(*, now: datetime | None = None) -> int:
    """Send every reminder due today and not yet sent; returns how many
    reached someone. A reminder is claimed (``last_sent_on``) before it is
    sent, so two runs at once send it once."""
    moment = timezone.localtime(now or timezone.now())
    today = moment.date()
    due = DiaryReminder.objects.filter(
        Q(last_sent_on__isnull=True) | Q(last_sent_on__lt=today),
        is_on=True,
        at__lte=moment.time(),
        resident__is_active=True,
        resident__role=Role.RESIDENT,
    ).select_related("resident")
    reached = 0
    for reminder in due:
        claimed = DiaryReminder.objects.filter(pk=reminder.pk, last_sent_on=reminder.last_sent_on).update(
            last_sent_on=today
        )
        if not claimed:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Herinnering: uw dagboek")
        reached += int(
            bool(
                notify(
                    user=reminder.resident,
                    subject=subject,
                    template="diary/notify/reminder.txt",
                    context={"url": settings.SITE_URL.rstrip("/") + reverse("diary:entry_add")},
                    event=EVENT,
                )
            )
        )
    return reached
