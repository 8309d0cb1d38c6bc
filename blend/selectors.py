"""Reads of the blend plan. Other capabilities ask here whether a channel
may be offered (e.g. chat only with consent); they never write around it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When

from accounts.models import User
from blend.models import (
    ALWAYS_OFFERED,
    ONLINE_CHANNELS,
    BlendAgreement,
    BlendPlan,
    Channel,
    ChannelConsent,
    ChannelUsage,
)
from organisations.caseload import CaseloadCounts


def resident_has_no_email(*, resident: User) -> bool:
    """The resident said in the blend plan that they have no e-mail (or do
    not want mail): other capabilities then send no mail to them."""
    plan = BlendPlan.objects.filter(resident=resident).only("has_no_email").first()
    return bool(plan and plan.has_no_email)


def consents_for(*, resident: User) -> dict[str, ChannelConsent]:
    """The latest consent row per online channel."""
    latest: dict[str, ChannelConsent] = {}
    for consent in ChannelConsent.objects.filter(resident=resident).select_related("recorded_by"):
        latest.setdefault(consent.channel, consent)  # ordered newest first
    return latest


def consent_history(*, resident: User, limit: int = 50) -> list[ChannelConsent]:
    """Every give and withdraw of online channels, newest first (the
    consent record), with who recorded it; at most ``limit`` rows."""
    return list(ChannelConsent.objects.filter(resident=resident).select_related("recorded_by")[:limit])


def resident_consents_to(*, resident: User, channel: str) -> bool:
    """True when the resident's latest word on this online channel is yes.
    Channels that are not online need no consent."""
    if channel not in ONLINE_CHANNELS:
        return True
    latest = ChannelConsent.objects.filter(resident=resident, channel=channel).first()
    return bool(latest and latest.is_given)


def residents_consenting(*, residents: QuerySet[User], channel: str) -> QuerySet[User]:
    """Of ``residents``, those whose latest word on the online ``channel`` is
    yes: a filter for another capability's list (no query of its own)."""
    latest = (
        ChannelConsent.objects.filter(resident=OuterRef("pk"), channel=channel)
        .order_by("-recorded_at", "-pk")
        .values("is_given")[:1]
    )
    return residents.annotate(latest_consent=Subquery(latest)).filter(latest_consent=True)


def channels_offered(*, resident: User) -> list[str]:
    """The ways of working that may be offered to this resident now:
    face-to-face always, online channels only with consent."""
    plan = BlendPlan.objects.filter(resident=resident).first()
    agreed = set()
    if plan is not None:
        agreed = set(BlendAgreement.objects.filter(plan=plan).values_list("channel", flat=True))
    consents = consents_for(resident=resident)
    offered = [ALWAYS_OFFERED.value]
    for channel in Channel.values:
        if channel == ALWAYS_OFFERED or channel not in agreed:
            continue
        if channel in ONLINE_CHANNELS:
            consent = consents.get(channel)
            if consent is None or not consent.is_given:
                continue
        offered.append(channel)
    return offered


@dataclass
class BlendView:
    plan: BlendPlan | None
    case_channels: set[str]
    goal_channels: dict[int, set[str]]
    consents: dict[str, ChannelConsent]
    usage: dict[str, ChannelUsage]


def blend_view(*, resident: User) -> BlendView:
    plan = BlendPlan.objects.filter(resident=resident).select_related("updated_by").first()
    case_channels: set[str] = {ALWAYS_OFFERED.value}
    goal_channels: dict[int, set[str]] = {}
    if plan is not None:
        for agreement in BlendAgreement.objects.filter(plan=plan):
            if agreement.goal_id is None:
                case_channels.add(agreement.channel)
            else:
                goal_channels.setdefault(agreement.goal_id, set()).add(agreement.channel)
    usage = {u.channel: u for u in ChannelUsage.objects.filter(resident=resident)}
    return BlendView(plan, case_channels, goal_channels, consents_for(resident=resident), usage)


def plans_due_for_review(*, residents: QuerySet[User]) -> QuerySet[BlendPlan]:
    return BlendPlan.objects.filter(resident__in=residents, review_date__isnull=False).order_by("review_date")


# --- What the blend plan adds to the caseload (organisations/caseload.py) -----------

CASELOAD_COUNTS = CaseloadCounts(
    name="blend",
    order=20,
    annotations=lambda worker: {"next_review": F("blend_plan__review_date")},
)


def online_blend_counts_per_organisation(*, residents: QuerySet[User]) -> dict[int, int]:
    """For the benchmark: of ``residents``, per organisation, how many have
    an online channel in their blend plan (for the whole case or for a
    goal). One grouped query."""
    rows = (
        BlendAgreement.objects.filter(plan__resident__in=residents.values("pk"), channel__in=sorted(ONLINE_CHANNELS))
        .order_by()
        .values("plan__resident__organisation_id")
        .annotate(count=Count("plan__resident_id", distinct=True))
    )
    return {row["plan__resident__organisation_id"]: row["count"] for row in rows}


# Age bands at the end of a year, by birth year (``accounts.User.birth_year``,
# optional): (code, lowest age, highest age or None). Residents younger than
# 18 get a band of their own so that no band mixes them in; no birth year is
# "unknown".
AGE_BANDS = (
    ("under_18", 0, 17),
    ("18_29", 18, 29),
    ("30_49", 30, 49),
    ("50_64", 50, 64),
    ("65_79", 65, 79),
    ("80_plus", 80, None),
)
AGE_UNKNOWN = "unknown"


def online_blend_counts_per_age_band(*, residents: QuerySet[User], year: int) -> dict[tuple[int, str], dict[str, int]]:
    """For the benchmark: of ``residents``, per organisation and age band
    (the age reached in ``year``, from the birth year), how many there are
    and how many have an online channel in their blend plan. One grouped
    query; bands without residents are absent."""
    whens = []
    for code, lowest, highest in AGE_BANDS:
        condition = Q(birth_year__lte=year - lowest)
        if highest is not None:
            condition &= Q(birth_year__gte=year - highest)
        whens.append(When(condition, then=Value(code)))
    online = BlendAgreement.objects.filter(plan__resident=OuterRef("pk"), channel__in=sorted(ONLINE_CHANNELS))
    rows = (
        User.objects.filter(pk__in=residents.values("pk"))
        .annotate(band=Case(*whens, default=Value(AGE_UNKNOWN), output_field=CharField()))
        .annotate(is_online=Exists(online))
        .order_by()
        .values("organisation_id", "band")
        .annotate(residents=Count("pk"), online=Count("pk", filter=Q(is_online=True)))
    )
    return {
        (row["organisation_id"], row["band"]): {"residents": row["residents"], "online": row["online"]} for row in rows
    }
