"""The "Meldingen" page: preferences, this device's push, one's devices.

Everyone signed in has the page, for their own settings only. A resident's
settings are their data: reading the page is logged through
``resident_get_for_user``, changes by the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role, User
from notifications import services
from notifications.forms import PreferenceForm, SubscriptionForm, UnsubscribeForm
from notifications.selectors import preference_get, push_subscription_list
from notifications.vapid import vapid_public_key
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import parse_public_id, resident_get_for_user


def _log_read(user: User) -> None:
    if user.role == Role.RESIDENT:
        resident_get_for_user(user=user, public_id=user.public_id, object_type="notification_settings")


def _first_error(form: SubscriptionForm | UnsubscribeForm) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Dat lukte niet. Probeer het opnieuw.")


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    data = request.POST if request.method == "POST" else None
    form = PreferenceForm(data, user=user, preferences=preference_get(user=user))
    if request.method == "POST" and form.is_valid():
        services.preference_set(
            user=user,
            channels=form.channels(),
            quiet_from=form.cleaned_data["quiet_from"],
            quiet_until=form.cleaned_data["quiet_until"],
        )
        messages.success(request, _("Uw keuzes voor meldingen zijn opgeslagen."))
        return redirect("notifications:settings")
    _log_read(user)
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "devices": list(push_subscription_list(user=user)),
            "vapid_public_key": vapid_public_key(),
        },
    )


@login_required
@require_POST
def push_subscribe_view(request: AuthenticatedHttpRequest) -> JsonResponse:
    """This browser switches push on (static/js/push.js)."""
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _first_error(form)}, status=400)
    data = form.cleaned_data["subscription"]
    try:
        subscription = services.push_subscription_save(
            user=request.user,
            endpoint=data.endpoint,
            p256dh=data.p256dh,
            auth=data.auth,
            user_agent=request.headers.get("User-Agent", "")[:500],
        )
    except services.PushSubscriptionError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"device": subscription.device_label}, status=201)


@login_required
@require_POST
def push_unsubscribe_view(request: AuthenticatedHttpRequest) -> JsonResponse:
    """This browser switches push off; only one's own subscription goes."""
    form = UnsubscribeForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _first_error(form)}, status=400)
    removed = services.push_subscription_remove_endpoint(user=request.user, endpoint=form.cleaned_data["endpoint"])
    return JsonResponse({"removed": removed})


@login_required
@require_POST
def device_remove_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    subscription = push_subscription_list(user=request.user).filter(public_id=parse_public_id(public_id)).first()
    if subscription is None:
        raise Http404
    services.push_subscription_remove(user=request.user, subscription=subscription)
    messages.success(request, _("Dit apparaat krijgt geen meldingen meer."))
    return redirect("notifications:settings")
