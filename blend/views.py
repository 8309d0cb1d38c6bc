"""The blend plan pages: the worker fills it in with the resident; the
resident reads it in plain words and switches online channels on or off."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blend import selectors
from blend.forms import BlendPlanForm, ConsentForm
from blend.models import ALWAYS_OFFERED, ONLINE_CHANNELS, Channel
from blend.services import BlendError, blend_plan_save, channel_consent_set, consent_kind_of
from casefiles.selectors import case_current, goals_active, talk_wishes_of_case
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Permission, require_permission, resident_get_for_user


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def staff_blend_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = resident_get_for_user(
        user=request.user,
        public_id=public_id,
        object_type="blend_plan",
        action="change" if request.method == "POST" else "view",
    )
    case = case_current(resident=resident)
    goals = goals_active(case=case)
    view = selectors.blend_view(resident=resident)
    form = BlendPlanForm(
        request.POST or None, goals=goals, initial=BlendPlanForm.initial_for(view.plan, view, goals, view.consents)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            blend_plan_save(
                resident=resident,
                saved_by=request.user,
                review_date=data["review_date"],
                best_times=data["best_times"],
                preferred_channel=data["preferred_channel"],
                needs_large_text=data["needs_large_text"],
                needs_read_aloud=data["needs_read_aloud"],
                has_no_email=data["has_no_email"],
                needs_help_of_relative=data["needs_help_of_relative"],
                notes=data["notes"],
                case_channels=set(data["case_channels"]),
                goal_channels={goal: set(data[BlendPlanForm.goal_field_name(goal)]) for goal in goals},
                consent_changes=form.consent_changes(),
                consent_document=data["consent_document"],
                consent_reason=data["consent_reason"],
            )
        except BlendError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Het plan is opgeslagen. De inwoner kan het lezen bij 'Zo werken we samen'."))
            return redirect("blend:staff_blend", public_id=resident.public_id)
    return render(
        request,
        "blend/staff_blend.html",
        {
            "resident": resident,
            "form": form,
            "view": view,
            "goals": goals,
            "goal_fields": [(goal, form[BlendPlanForm.goal_field_name(goal)]) for goal in goals],
            "usage_rows": [(Channel(c).label, view.usage.get(c)) for c in Channel.values if c in ONLINE_CHANNELS],
            # The consent texts the worker reads with the resident (their versions are recorded).
            "consent_kinds": [consent_kind_of(c) for c in Channel.values if c in ONLINE_CHANNELS],
            "talk_wishes": talk_wishes_of_case(case=case),
        },
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def resident_blend_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = resident_get_for_user(user=request.user, public_id=request.user.public_id, object_type="blend_plan")
    view = selectors.blend_view(resident=resident)
    case = case_current(resident=resident)
    goals = goals_active(case=case)
    agreed = [(c, label) for c, label in Channel.choices if c in view.case_channels]
    # With the register's kind: the page shows its consent text (consent_texts tag).
    online = [
        (
            c,
            label,
            bool(view.consents.get(c) and view.consents[c].is_given),
            view.usage.get(c),
            consent_kind_of(c),
        )
        for c, label in Channel.choices
        if c in ONLINE_CHANNELS
    ]
    return render(
        request,
        "blend/resident_blend.html",
        {
            "view": view,
            "agreed": agreed,
            "online": online,
            "goals": goals,
            "goal_channels": [
                (g, [Channel(c).label for c in sorted(view.goal_channels.get(g.pk, set()))]) for g in goals
            ],
            "face_to_face": Channel(ALWAYS_OFFERED).label,
        },
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def resident_consent_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = resident_get_for_user(
        user=request.user, public_id=request.user.public_id, action="change", object_type="channel_consent"
    )
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dit lukte niet. Probeer het opnieuw."))
        return redirect("blend:resident_blend")
    channel, is_given = form.cleaned_data["channel"], form.cleaned_data["is_given"]
    try:
        channel_consent_set(resident=resident, channel=channel, is_given=is_given, recorded_by=request.user)
    except BlendError as error:
        messages.error(request, str(error))
    else:
        label = Channel(channel).label
        messages.success(
            request,
            (
                _("U hebt toestemming gegeven voor %(channel)s.")
                if is_given
                else _("U hebt uw toestemming voor %(channel)s ingetrokken.")
            )
            % {"channel": label},
        )
    return redirect("blend:resident_blend")
