"""The experience survey's pages: the resident answers, skips or says no
more; the organisation admin and team leads read the results per channel.
Resident pages reach the offer through ``feedback.access``, which logs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from feedback import selectors
from feedback.access import feedback_offer_get_for_user, may_read_remarks, require_results_role
from feedback.chart import results_chart
from feedback.forms import PreferenceForm, SurveyForm
from feedback.models import OfferStatus
from feedback.services import FeedbackError, feedback_answer_save, feedback_offer_skip, feedback_opt_out_set
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Action, Permission, organisation_id_of, require_permission, resident_get_for_user


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def survey_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The three questions. One form, three buttons: send the answer, skip
    (the survey is gone) or no more surveys (the resident's opt-out)."""
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    offer = feedback_offer_get_for_user(user=request.user, public_id=public_id, action=action)
    if offer.status != OfferStatus.OPEN:
        return render(request, "feedback/closed.html", {"offer": offer})
    choice = request.POST.get("keuze", "answer")
    form = SurveyForm(request.POST if request.method == "POST" and choice == "answer" else None)
    if request.method == "POST":
        try:
            if choice == "skip":
                feedback_offer_skip(offer=offer, resident=request.user)
                messages.success(request, _("U hebt de vragen overgeslagen."))
                return redirect("pages:resident_home")
            if choice == "stop":
                feedback_opt_out_set(resident=request.user, is_opted_out=True)
                messages.success(request, _("U krijgt geen vragen meer over hoe een contact was."))
                return redirect("pages:resident_home")
            if form.is_valid():
                feedback_answer_save(offer=offer, resident=request.user, answer=form.answer())
                return redirect("feedback:thanks")
        except FeedbackError as error:
            form.add_error(None, str(error))
    return render(request, "feedback/survey.html", {"offer": offer, "form": form})


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def thanks_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A fixed text: nobody and nothing answers the resident's words here."""
    return render(request, "feedback/thanks.html")


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def preference_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    resident = resident_get_for_user(
        user=request.user, public_id=request.user.public_id, action=action, object_type="feedback_preference"
    )
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"is_opted_out": selectors.feedback_is_opted_out(resident=resident)},
    )
    if request.method == "POST" and form.is_valid():
        feedback_opt_out_set(resident=resident, is_opted_out=form.cleaned_data["is_opted_out"])
        messages.success(request, _("Uw keuze is bewaard."))
        return redirect("feedback:preference")
    return render(request, "feedback/preference.html", {"form": form})


@require_results_role
@require_GET
def results_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Aggregates of the viewer's own organisation; no resident is read."""
    user = request.user
    results = selectors.feedback_results(
        organisation_id=organisation_id_of(user), include_remarks=may_read_remarks(user)
    )
    return render(
        request,
        "feedback/results.html",
        {
            "results": results,
            "chart": results_chart(results),
            "minimum": selectors.MINIMUM_ANSWERS,
            "may_read_remarks": may_read_remarks(user),
        },
    )
